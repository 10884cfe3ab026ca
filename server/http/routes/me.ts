import { Router } from 'express';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';

export function meRoutes(services: Services): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    const principal = principalOf(req);
    const user = principal.email ? await services.users.findByEmail(principal.email) : undefined;
    res.json({
      user: { id: principal.userId, email: principal.email, name: user?.name ?? '', role: principal.role },
      // The web app keeps this in memory and sends it back on every change.
      ...(req.session ? { csrfToken: req.session.csrfToken } : {}),
      answerMode: services.chatModel ? 'llm' : 'extractive',
    });
  });
  return router;
}
