import { Router } from 'express';
import { requireAdmin } from '../../access/policies.ts';
import { bearerTokenOf, matchesSharedSecret } from '../../auth/sharedSecret.ts';
import { AuthenticationError } from '../../errors.ts';
import { metricsRegistry } from '../../observability/metrics.ts';
import type { Services } from '../../services.ts';
import { principalIfAny } from '../authenticate.ts';

/**
 * Prometheus' scrape endpoint. Never anonymous: the METRICS_TOKEN bearer (a scraper's secret,
 * checked before anything touches the database) or an admin's API key or session. Series names
 * carry route patterns and service names, not users or question text.
 */
export type MetricsRoutesDeps = Pick<Services, 'config' | 'users' | 'sessions'>;

export function metricsRoutes(services: MetricsRoutesDeps): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    try {
      const { metricsToken } = services.config;
      const sent = bearerTokenOf(req.get('authorization'));
      if (!(metricsToken && matchesSharedSecret(sent, metricsToken))) {
        const principal = await principalIfAny(req, services.users, services.sessions);
        if (!principal) throw new AuthenticationError('Metrics need Authorization: Bearer <METRICS_TOKEN or an admin API key>.');
        requireAdmin(principal, 'read metrics (or Prometheus, with the METRICS_TOKEN)');
      }
      res
        .set('content-type', metricsRegistry.contentType)
        .set('cache-control', 'no-store')
        .send(await metricsRegistry.metrics());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
