import { bearerTokenOf, matchesSharedSecret } from '../../auth/sharedSecret.ts';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { ScimError } from '../../identity/scim/scimResources.ts';
import { resourceTypes, schemaDefinitions, serviceProviderConfig } from '../../identity/scim/scimSchemas.ts';
import type { Services } from '../../services.ts';

const scimJson = 'application/scim+json';

/**
 * SCIM 2.0 at /scim/v2 for the identity provider's provisioning connector, authenticated by the
 * SCIM_TOKEN bearer (compared in constant time). Everything, errors included, answers in SCIM's
 * JSON shape with its media type.
 */
export function scimRoutes(services: Services): Router {
  const router = Router();
  const { scim, config } = services;
  const base = (req: Request) => `${config.publicUrl}${req.baseUrl}`;
  const actor = (req: Request) => ({ ip: req.ip });
  router.use(requireScimToken(config.scimToken));
  router.use(express.json({ limit: '1mb', type: ['application/json', scimJson] }));
  router.use((_req, res, next) => {
    res.type(scimJson);
    next();
  });

  router.get('/ServiceProviderConfig', (req, res) => void res.json(serviceProviderConfig(base(req))));
  router.get('/ResourceTypes', (req, res) => void res.json(resourceTypes(base(req))));
  router.get('/Schemas', (_req, res) => void res.json(schemaDefinitions()));

  router.get('/Users', async (req, res) => void res.json(await scim.listUsers(listQuery(req), base(req))));
  router.get('/Users/:id', async (req, res) => void res.json(await scim.getUser(String(req.params.id), base(req))));
  router.post('/Users', async (req, res) => void res.status(201).json(await scim.createUser(req.body, actor(req), base(req))));
  router.put(
    '/Users/:id',
    async (req, res) => void res.json(await scim.replaceUser(String(req.params.id), req.body, actor(req), base(req))),
  );
  router.patch(
    '/Users/:id',
    async (req, res) => void res.json(await scim.patchUser(String(req.params.id), req.body, actor(req), base(req))),
  );
  router.delete('/Users/:id', async (req, res) => {
    await scim.deleteUser(String(req.params.id), actor(req));
    res.status(204).end();
  });

  router.get('/Groups', async (req, res) => void res.json(await scim.listGroups(listQuery(req), base(req))));
  router.get('/Groups/:id', async (req, res) => void res.json(await scim.getGroup(String(req.params.id), base(req), excludesMembers(req))));
  router.post('/Groups', async (req, res) => void res.status(201).json(await scim.createGroup(req.body, actor(req), base(req))));
  router.put(
    '/Groups/:id',
    async (req, res) => void res.json(await scim.replaceGroup(String(req.params.id), req.body, actor(req), base(req))),
  );
  router.patch(
    '/Groups/:id',
    async (req, res) => void res.json(await scim.patchGroup(String(req.params.id), req.body, actor(req), base(req))),
  );
  router.delete('/Groups/:id', async (req, res) => {
    await scim.deleteGroup(String(req.params.id), actor(req));
    res.status(204).end();
  });

  router.use((req, _res, next) => next(new ScimError(404, `No SCIM endpoint ${req.method} ${req.path}.`)));
  router.use(scimErrors(services));
  return router;
}

function requireScimToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next(new ScimError(404, 'SCIM provisioning is not enabled here: set SCIM_TOKEN.'));
    if (!matchesSharedSecret(bearerTokenOf(req.get('authorization')), token))
      return next(new ScimError(401, 'Missing or wrong bearer token.'));
    next();
  };
}

function listQuery(req: Request) {
  const number = (name: string, fallback: number, max: number) => {
    const raw = req.query[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new ScimError(400, `${name} must be a whole number.`, 'invalidValue');
    return Math.min(value, max);
  };
  return {
    filter: typeof req.query.filter === 'string' ? req.query.filter : undefined,
    startIndex: Math.max(1, number('startIndex', 1, 1_000_000_000)),
    count: number('count', 100, 1000),
    excludeMembers: excludesMembers(req),
  };
}

function excludesMembers(req: Request): boolean {
  return (
    typeof req.query.excludedAttributes === 'string' &&
    req.query.excludedAttributes.split(',').some((name) => name.trim().toLowerCase() === 'members')
  );
}

function scimErrors(services: Services): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const failure =
      error instanceof ScimError
        ? error
        : (error as { type?: string }).type === 'entity.parse.failed'
          ? new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax')
          : (error as { type?: string }).type === 'entity.too.large'
            ? new ScimError(413, 'The body is larger than 1 MB.')
            : undefined;
    if (!failure) services.logger.error({ err: error, method: req.method, path: req.path }, 'SCIM request failed');
    else
      services.logger.warn({ status: failure.status, detail: failure.message, method: req.method, path: req.path }, 'SCIM request refused');
    const answer = failure ?? new ScimError(500, 'Internal error; see the server log.');
    res.status(answer.status).type(scimJson).json(answer);
  };
}
