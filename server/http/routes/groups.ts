import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { adminsOnly, principalOf } from '../authenticate.ts';
import { presentGroup } from '../../presenters/groups.ts';

/** What these routes use of the composition root. */
export type GroupRoutesDeps = Pick<Services, 'audit' | 'groups'>;

const newGroup = z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() }).strict();
const newMember = z.object({ email: z.email('must be an email address') }).strict();

/** Groups and their members, for admins; collections are granted to groups. */
export function groupRoutes(services: GroupRoutesDeps): Router {
  const router = Router();
  router.use('/groups', adminsOnly);
  router.get('/groups', async (req, res) => {
    res.json({ groups: (await services.groups.list(principalOf(req))).map(presentGroup) });
  });
  router.post('/groups', audited(services.audit, 'group.created', undefined, bodyFields('name')), async (req, res) => {
    const { id, name } = await services.groups.create(principalOf(req), newGroup.parse(req.body));
    res.status(201).json({ group: { id, name } });
  });
  router.delete('/groups/:id', audited(services.audit, 'group.deleted', param('group', 'id')), async (req, res) => {
    await services.groups.delete(principalOf(req), String(req.params.id));
    res.status(204).end();
  });
  router.post(
    '/groups/:id/members',
    audited(services.audit, 'group.member_added', param('group', 'id'), bodyFields('email')),
    async (req, res) => {
      await services.groups.addMember(principalOf(req), String(req.params.id), newMember.parse(req.body).email);
      res.status(204).end();
    },
  );
  router.delete(
    '/groups/:id/members/:userId',
    audited(services.audit, 'group.member_removed', param('group', 'id'), (req) => ({ userId: req.params.userId })),
    async (req, res) => {
      await services.groups.removeMember(principalOf(req), String(req.params.id), String(req.params.userId));
      res.status(204).end();
    },
  );
  return router;
}
