import type { Express } from 'express';
import { match, type MatchFunction } from 'path-to-regexp';

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown };
  handle?: { stack?: RouterLayer[] };
}

interface Pattern {
  pattern: string;
  matches: MatchFunction<object>;
}

/**
 * Every route pattern the app serves (`/api/documents/:id`), read once from Express's router
 * stack, to name a request that ended before any route took it: refused by authentication (401)
 * or by a router's own guard. Without it those answers would share one "unrouted" series and a
 * dashboard could not tell a broken client of one endpoint from another.
 */
export class RoutePatterns {
  private patterns: Pattern[] | undefined;

  constructor(private readonly app: Express) {}

  /** The first pattern (in the order Express tries them) that matches this path, if any. */
  find(path: string): string | undefined {
    this.patterns ??= collect((this.app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
    return this.patterns.find((candidate) => candidate.matches(path))?.pattern;
  }
}

function collect(stack: RouterLayer[], prefix: string): Pattern[] {
  return stack.flatMap((layer): Pattern[] => {
    if (layer.route) {
      const pattern = typeof layer.route.path === 'string' ? `${prefix}${layer.route.path}` : undefined;
      return pattern ? [{ pattern, matches: match(pattern, { decode: false }) }] : [];
    }
    if (!layer.handle?.stack || typeof layer.rawPath !== 'string') return [];
    return collect(layer.handle.stack, layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`);
  });
}
