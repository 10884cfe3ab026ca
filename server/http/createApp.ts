import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Services } from '../services.ts';
import { authenticate } from './authenticate.ts';
import { apiNotFound, errorHandler } from './errorHandler.ts';
import { assistantRoutes } from './routes/assistants.ts';
import { collectionRoutes } from './routes/collections.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { healthRoutes } from './routes/health.ts';
import { meRoutes } from './routes/me.ts';
import { openaiCompatibleRoutes } from './routes/openaiCompatible.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: services.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // One short line per request: method, path and status; headers (and credentials) stay out.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(healthRoutes(services));

  const api = express.Router();
  // Authenticate before parsing, so anonymous callers cannot make us parse bodies.
  api.use(authenticate(services.users));
  api.use(express.json({ limit: '1mb' }));
  api.use(meRoutes());
  api.use(assistantRoutes(services));
  api.use(collectionRoutes(services));
  api.use(conversationRoutes(services));
  api.use(apiNotFound);
  app.use('/api', api);
  app.use('/v1', openaiCompatibleRoutes(services));

  if (existsSync(webDist)) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    // The web app routes on the client; any other GET gets its shell.
    app.get(/^\/(?!api\/|v1\/|slack\/).*/, (_req, res) => res.sendFile(path.join(webDist, 'index.html')));
  }
  app.use(errorHandler);
  return app;
}
