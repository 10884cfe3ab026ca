import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { adminsOnly, principalOf } from '../authenticate.ts';
import { presentUsage } from '../../presenters/usage.ts';

/** What these routes use of the composition root. */
export type UsageRoutesDeps = Pick<Services, 'usage'>;

const window = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

export function usageRoutes(services: UsageRoutesDeps): Router {
  const router = Router();
  router.get('/usage', adminsOnly, async (req, res) => {
    res.json(presentUsage(await services.usage.report(principalOf(req), window.parse(req.query).days)));
  });
  return router;
}
