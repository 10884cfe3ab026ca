import { Router } from 'express';
import type { Services } from '../../services.ts';
import { checkReadiness } from '../../health/readiness.ts';

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Degraded inference still serves (extractive answers); only a dead database or queue is unready.
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(services);
    const serving = readiness.components.database.ok && readiness.components.queue.ok;
    res.status(serving ? 200 : 503).json(readiness);
  });
  return router;
}
