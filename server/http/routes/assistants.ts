import { Router } from 'express';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';

export function assistantRoutes(services: Services): Router {
  const router = Router();
  router.get('/assistants', async (req, res) => {
    res.json({ assistants: await services.assistants.list(principalOf(req)) });
  });
  return router;
}
