import { syncedSourceRoutes } from './routes/syncedSources.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Services } from '../services.ts';
import { authenticate } from './authenticate.ts';
import { rememberMountPath, requestMetrics } from './requestMetrics.ts';
import { securityHeaders } from './securityHeaders.ts';
import { apiNotFound, errorHandler } from './errorHandler.ts';
import { apiKeyRoutes } from './routes/apiKeys.ts';
import { auditRoutes } from './routes/audit.ts';
import { assistantRoutes } from './routes/assistants.ts';
import { signInRoutes, signOutRoutes } from './routes/auth.ts';
import { collectionRoutes } from './routes/collections.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { documentRoutes } from './routes/documents.ts';
import { groupRoutes } from './routes/groups.ts';
import { healthRoutes } from './routes/health.ts';
import { meRoutes } from './routes/me.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { mcpSignInRoutes } from './routes/mcpSignIns.ts';
import type { McpEndpoint } from '../mcp/McpEndpoint.ts';
import { openaiCompatibleRoutes } from './routes/openaiCompatible.ts';
import { scimRoutes } from './routes/scim.ts';
import { searchRoutes } from './routes/search.ts';
import { slackBindingRoutes } from './routes/slackBindings.ts';
import { usageRoutes } from './routes/usage.ts';
import { userRoutes } from './routes/users.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export function createApp(services: Services, options: { slackRouter?: Router; mcp?: McpEndpoint } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy, req.secure (and so the cookie's Secure flag) follows X-Forwarded-Proto.
  app.set('trust proxy', services.config.trustProxy ? 1 : false);
  app.use(
    pinoHttp({
      logger: services.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // One short line per request: method, path and status; headers (and credentials) stay out.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(requestMetrics(app));
  app.use(securityHeaders());
  app.use(healthRoutes(services));
  app.use(metricsRoutes(services));

  // MCP's authorization server lives at the root of PUBLIC_URL (RFC 8414's well-known paths, /authorize, /token ...).
  if (options.mcp?.authorizationRouter) app.use(options.mcp.authorizationRouter);

  const api = express.Router();
  api.use(signInRoutes(services));
  // Authenticate before parsing, so anonymous callers cannot make us parse bodies.
  api.use(authenticate(services.users, services.sessions));
  api.use(express.json({ limit: '1mb' }));
  api.use(signOutRoutes(services));
  api.use(meRoutes(services));
  api.use(assistantRoutes(services));
  api.use(collectionRoutes(services));
  api.use(documentRoutes(services));
  api.use(conversationRoutes(services));
  api.use(searchRoutes(services));
  api.use(userRoutes(services));
  api.use(groupRoutes(services));
  api.use(apiKeyRoutes(services));
  api.use(mcpSignInRoutes(services));
  api.use(usageRoutes(services));
  api.use(slackBindingRoutes(services));
  api.use(auditRoutes(services));
  api.use(syncedSourceRoutes(services));
  api.use(apiNotFound);
  app.use('/api', rememberMountPath, api);
  app.use('/v1', rememberMountPath, openaiCompatibleRoutes(services));
  app.use('/scim/v2', rememberMountPath, scimRoutes(services));
  if (options.mcp) app.use('/mcp', rememberMountPath, mcpRoutes(options.mcp));
  if (options.slackRouter) app.use(options.slackRouter);

  if (existsSync(webDist)) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    // The web app routes on the client; any other GET gets its shell.
    app.get(/^\/(?!api\/|v1\/|slack\/|scim\/|mcp$|mcp\/).*/, (_req, res) =>
      res.sendFile(path.join(webDist, 'index.html'), { cacheControl: false }),
    );
  }
  app.use(errorHandler);
  return app;
}
