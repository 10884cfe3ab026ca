import { bearerTokenOf, matchesSharedSecret } from '../../auth/sharedSecret.ts';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { ScimError } from '../../identity/scim/ScimError.ts';
import { listRequestFromBody, listRequestFromQuery } from '../../identity/scim/scimListRequest.ts';
import { resourceType, resourceTypes, schemaById, schemas, serviceProviderConfig } from '../../identity/scim/scimSchemas.ts';
import type { Services } from '../../services.ts';

/** What these routes use of the composition root. */
export type ScimRoutesDeps = Pick<Services, 'config' | 'logger' | 'scim'>;

const scimJson = 'application/scim+json';

/**
 * SCIM 2.0 at /scim/v2 for the identity provider's provisioning connector, authenticated by the
 * SCIM_TOKEN bearer (compared in constant time). Everything, errors included, answers in SCIM's
 * JSON shape with its media type.
 */
export function scimRoutes(services: ScimRoutesDeps): Router {
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
  router.get('/ResourceTypes/:id', (req, res) => void res.json(resourceType(String(req.params.id), base(req))));
  router.get('/Schemas', (req, res) => void res.json(schemas(base(req))));
  router.get('/Schemas/:uri', (req, res) => void res.json(schemaById(String(req.params.uri), base(req))));
  router.post('/.search', async (req, res) => void res.json(await scim.searchAll(listRequestFromBody(req.body), base(req))));

  router.get('/Users', async (req, res) => void res.json(await scim.listUsers(listRequestFromQuery(req.query), base(req))));
  router.post('/Users/.search', async (req, res) => void res.json(await scim.listUsers(listRequestFromBody(req.body), base(req))));
  router.get(
    '/Users/:id',
    async (req, res) => void res.json(await scim.getUser(String(req.params.id), base(req), listRequestFromQuery(req.query))),
  );
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

  router.get('/Groups', async (req, res) => void res.json(await scim.listGroups(listRequestFromQuery(req.query), base(req))));
  router.post('/Groups/.search', async (req, res) => void res.json(await scim.listGroups(listRequestFromBody(req.body), base(req))));
  router.get(
    '/Groups/:id',
    async (req, res) => void res.json(await scim.getGroup(String(req.params.id), base(req), listRequestFromQuery(req.query))),
  );
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

function scimErrors(services: ScimRoutesDeps): ErrorRequestHandler {
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
