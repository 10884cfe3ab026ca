import express, { type Express } from 'express';
import { errorHandler } from './errorHandler.ts';
import { healthRoutes, type HealthRoutesDeps } from './routes/health.ts';
import { metricsRoutes, type MetricsRoutesDeps } from './routes/metrics.ts';

/** What a worker's ops server uses of the composition root. */
export type OpsAppDeps = HealthRoutesDeps & MetricsRoutesDeps;

/**
 * What a `tapeout worker` serves on METRICS_PORT: its probes and its metrics (ingestion counters
 * live in the process that ingests), with the same rules as the server's.
 */
export function createOpsApp(services: OpsAppDeps): Express {
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
