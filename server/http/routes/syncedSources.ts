import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { principalOf } from '../authenticate.ts';
import { presentSourceRun, presentSyncedSource, presentSyncedSourceDetail } from '../../presenters/syncedSources.ts';

/** What these routes use of the composition root. */
export type SyncedSourceRoutesDeps = Pick<Services, 'audit' | 'syncedSources'>;

/** A token (with a user name: Atlassian Cloud's account email), or an OAuth client that obtains one (Microsoft Graph, Atlassian 3LO). */
const oauthClient = z
  .object({
    clientId: z.string().min(1).max(200),
    clientSecret: z.string().min(1).max(4096).optional(),
    tenantId: z.string().min(1).max(200).optional(),
    certificatePem: z.string().min(1).max(16_384).optional(),
    privateKeyPem: z.string().min(1).max(16_384).optional(),
    refreshToken: z.string().min(1).max(8192).optional(),
  })
  .strict()
  .refine((client) => client.clientSecret || (client.certificatePem && client.privateKeyPem), {
    message: 'an OAuth client needs clientSecret, or certificatePem with privateKeyPem',
  });
const credentials = z
  .object({ token: z.string().max(4096).optional(), username: z.string().min(1).max(200).optional(), oauth: oauthClient.optional() })
  .strict()
  .refine((given) => given.token || given.oauth, { message: 'give a token, or an oauth client' })
  .transform(({ token, ...rest }) => ({ token: token ?? '', ...rest }));
const syncRequest = z.object({ mode: z.enum(['content', 'permissions']).default('content') }).strict();
const schedule = z.string().trim().min(1).max(100).nullable();
const settings = z.record(z.string(), z.unknown());

const newSource = z
  .object({
    kind: z.enum(['git', 'web', 'confluence', 'jira', 'sharepoint']),
    collection: z.string().min(1).max(63),
    name: z.string().trim().min(1).max(200),
    url: z.string().trim().min(1).max(2000),
    branch: z.string().optional(),
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
    settings: settings.optional(),
    schedule: schedule.optional(),
    credentials: credentials.optional(),
  })
  .strict();

const sourcePatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: z.string().trim().min(1).max(2000),
    settings,
    schedule,
    paused: z.boolean(),
    credentials: credentials.nullable(),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });

/** Sources that keep a collection in sync (admins and the collection's editors). */
export function syncedSourceRoutes(services: SyncedSourceRoutesDeps): Router {
  const router = Router();

  router.post(
    '/sources',
    audited(services.audit, 'source.created', undefined, bodyFields('kind', 'collection', 'name', 'url')),
    async (req, res) => {
      const { branch, include, exclude, settings: rest, ...body } = newSource.parse(req.body);
      const request = { ...body, settings: { ...rest, ...defined({ branch, include, exclude }) } };
      const { source, run } = await services.syncedSources.create(principalOf(req), request);
      res.locals.auditTarget = { type: 'source', id: source.id };
      res.status(201).json({ source: presentSyncedSource(source), run: presentSourceRun(run) });
    },
  );

  router.get('/sources', async (req, res) => {
    res.json({ sources: (await services.syncedSources.list(principalOf(req))).map(presentSyncedSource) });
  });

  router.get('/sources/:id', async (req, res) => {
    res.json(presentSyncedSourceDetail(await services.syncedSources.get(principalOf(req), String(req.params.id))));
  });

  router.patch(
    '/sources/:id',
    audited(services.audit, 'source.changed', param('source', 'id'), bodyFields('name', 'url', 'schedule', 'paused')),
    async (req, res) => {
      const change = sourcePatch.parse(req.body);
      res.json(presentSyncedSource(await services.syncedSources.update(principalOf(req), String(req.params.id), change)));
    },
  );

  router.delete('/sources/:id', audited(services.audit, 'source.deleted', param('source', 'id')), async (req, res) => {
    await services.syncedSources.delete(principalOf(req), String(req.params.id));
    res.status(204).end();
  });

  router.post('/sources/:id/sync', audited(services.audit, 'source.sync_requested', param('source', 'id')), async (req, res) => {
    const { mode } = syncRequest.parse(req.body ?? {});
    const { run, created } = await services.syncedSources.requestSync(principalOf(req), String(req.params.id), mode);
    res.status(202).json({ run: presentSourceRun(run), alreadyQueued: !created });
  });

  return router;
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
