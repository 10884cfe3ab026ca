import { Router } from 'express';
import { minPasswordLength } from '../../auth/passwords.ts';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { principalOf, adminsOnly } from '../authenticate.ts';
import { presentUser, presentUserListing } from '../../presenters/users.ts';

/** What these routes use of the composition root. */
export type UserRoutesDeps = Pick<Services, 'audit' | 'users'>;

const password = z.string().min(minPasswordLength, `must be at least ${minPasswordLength} characters`).max(1000);
const newUser = z
  .object({
    email: z.email('must be an email address').max(320),
    name: z.string().trim().max(200).optional(),
    role: z.enum(['admin', 'member']).default('member'),
    password: password.optional(),
  })
  .strict();
const userPatch = z
  .object({ name: z.string().trim().max(200), role: z.enum(['admin', 'member']), password })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });

/** Users, for admins. A user without a password cannot sign in to the web app (API keys or Slack only). */
export function userRoutes(services: UserRoutesDeps): Router {
  const router = Router();
  router.use('/users', adminsOnly);
  router.get('/users', async (req, res) => {
    res.json({ users: (await services.users.list(principalOf(req))).map(presentUserListing) });
  });
  router.post('/users', audited(services.audit, 'user.created', undefined, bodyFields('email', 'role')), async (req, res) => {
    const user = await services.users.register(principalOf(req), newUser.parse(req.body));
    res.locals.auditTarget = { type: 'user', id: user.id };
    res.status(201).json({ user: presentUser(user) });
  });
  router.patch(
    '/users/:id',
    audited(services.audit, 'user.updated', param('user', 'id'), (req, res) => ({
      ...bodyFields('name', 'role')(req, res),
      passwordChanged: Boolean(req.body?.password),
    })),
    async (req, res) => {
      res.json({ user: presentUser(await services.users.update(principalOf(req), String(req.params.id), userPatch.parse(req.body))) });
    },
  );
  router.delete('/users/:id', audited(services.audit, 'user.deleted', param('user', 'id')), async (req, res) => {
    await services.users.remove(principalOf(req), String(req.params.id));
    res.status(204).end();
  });
  return router;
}
