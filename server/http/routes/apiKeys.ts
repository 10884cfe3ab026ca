import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { principalOf } from '../authenticate.ts';
import { presentApiKey, presentCreatedApiKey } from '../../presenters/apiKeys.ts';

/** What these routes use of the composition root. */
export type ApiKeyRoutesDeps = Pick<Services, 'apiKeys' | 'audit'>;

const newKey = z
  .object({
    name: z.string().trim().min(1).max(200),
    owner: z.email().optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

/** API keys: everyone manages their own, admins everyone's. The key itself is shown once, at creation. */
export function apiKeyRoutes(services: ApiKeyRoutesDeps): Router {
  const router = Router();
  router.get('/api-keys', async (req, res) => {
    res.json({ apiKeys: (await services.apiKeys.list(principalOf(req))).map(presentApiKey) });
  });
  router.post(
    '/api-keys',
    audited(services.audit, 'api_key.created', undefined, bodyFields('name', 'owner', 'expiresInDays')),
    async (req, res) => {
      const body = newKey.parse(req.body);
      const created = await services.apiKeys.create(principalOf(req), {
        name: body.name,
        ownerEmail: body.owner,
        expiresInDays: body.expiresInDays,
      });
      res.status(201).json(presentCreatedApiKey(created));
    },
  );
  router.delete('/api-keys/:id', audited(services.audit, 'api_key.revoked', param('api_key', 'id')), async (req, res) => {
    await services.apiKeys.revoke(principalOf(req), String(req.params.id));
    res.status(204).end();
  });
  return router;
}
