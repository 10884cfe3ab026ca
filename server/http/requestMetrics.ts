import type { Express, RequestHandler } from 'express';
import { httpRequestDuration, secondsSince } from '../observability/metrics.ts';
import { RoutePatterns } from './routePatterns.ts';

/**
 * Times every request until its response ends (a streamed answer included), labelled by the
 * route pattern that handled it (`/api/conversations/:id`), never the raw path, so ids and typos
 * cannot multiply the series. A request refused before its route ran (401 from authentication,
 * 403 from a router's guard) is labelled with the pattern its path matches; static files are
 * "web app", and paths no route serves share "unrouted".
 */
export function requestMetrics(app: Express): RequestHandler {
  const patterns = new RoutePatterns(app);
  return (req, res, next) => {
    const startedAt = performance.now();
    let observed = false;
    // 'finish' (the response handed over whole) comes before the client can have read it, so a
    // client that reads its answer and then scrapes sees it counted; 'close' covers an aborted one.
    const observe = () => {
      if (observed) return;
      observed = true;
      const pattern = req.route?.path;
      const route =
        typeof pattern === 'string'
          ? `${(res.locals.mountPath as string | undefined) ?? ''}${pattern}`
          : pattern
            ? 'web app'
            : (patterns.find(req.originalUrl.split('?')[0]!) ?? 'unrouted');
      httpRequestDuration.observe({ route, method: req.method, status: String(res.statusCode) }, secondsSince(startedAt));
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}

/**
 * Remembers where a router is mounted (`/api`): Express restores `req.baseUrl` as a request
 * leaves the router, so by the time an error handler has answered it is gone.
 */
export const rememberMountPath: RequestHandler = (req, res, next) => {
  res.locals.mountPath ??= req.baseUrl;
  next();
};
