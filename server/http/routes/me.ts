import { Router } from 'express';
import { principalOf } from '../authenticate.ts';

export function meRoutes(): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    const principal = principalOf(req);
    res.json({ user: { id: principal.userId, email: principal.email, role: principal.role } });
  });
  return router;
}
