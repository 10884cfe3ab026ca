import { Router } from 'express';
import type { Services } from '../../services.ts';
import { EventLoopMonitor } from '../../health/EventLoopMonitor.ts';
import { checkReadiness, type ReadinessDeps } from '../../health/readiness.ts';
import { isAdmin } from '../../access/policies.ts';
import { principalIfAny } from '../authenticate.ts';
import { presentReadiness } from '../../presenters/readiness.ts';

/** What these routes use of the composition root. */
export type HealthRoutesDeps = ReadinessDeps & Pick<Services, 'answersInFlight' | 'sessions' | 'users'>;

export function healthRoutes(services: HealthRoutesDeps): Router {
  const router = Router();
  const eventLoop = new EventLoopMonitor();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Degraded inference still serves (extractive answers); only a dead database or queue is unready.
  // Anybody (a load balancer) learns ok or degraded; which services, where, and their errors are for admins.
  router.get('/readyz', async (req, res) => {
    // A draining instance is taken out of the load balancer's rotation before it stops.
    if (services.answersInFlight.draining) return void res.status(503).json({ status: 'shutting down' });
    const [readiness, principal] = await Promise.all([
      checkReadiness(services),
      principalIfAny(req, services.users, services.sessions).catch(() => undefined),
    ]);
    const serving = readiness.components.database.ok && readiness.components.queue.ok;
    if (!(principal && isAdmin(principal))) return void res.status(serving ? 200 : 503).json({ status: readiness.status });
    const memory = globalThis.process.memoryUsage();
    const process = {
      eventLoopDelayMs: eventLoop.report(),
      rssMb: Math.round(memory.rss / 2 ** 20),
      heapUsedMb: Math.round(memory.heapUsed / 2 ** 20),
    };
    res.status(serving ? 200 : 503).json(presentReadiness(readiness, process));
  });
  return router;
}
