import express, { type Express } from 'express';
import type { Services } from '../services.ts';
import { errorHandler } from './errorHandler.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';

/**
 * What a `tapeout worker` serves on METRICS_PORT: its probes and its metrics (ingestion counters
 * live in the process that ingests), with the same rules as the server's.
 */
export function createOpsApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(services));
  app.use(metricsRoutes(services));
  app.use(
    (_req, res) =>
      void res.status(404).json({ error: { code: 'not_found', message: 'A worker serves /healthz, /readyz and /metrics only.' } }),
  );
  app.use(errorHandler);
  return app;
}
