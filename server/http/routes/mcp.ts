import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AuthenticationError } from '../../errors.ts';
import { refuseForeignOrigins } from '../authenticate.ts';
import { authInfoOf, type McpCaller } from '../../mcp/McpCaller.ts';
import { isInitializeRequest, type McpEndpoint } from '../../mcp/McpEndpoint.ts';

declare module 'express-serve-static-core' {
  interface Request {
    mcpCaller?: McpCaller;
  }
}

/**
 * Tapeout's MCP server over Streamable HTTP (spec 2025-06-18 and later): POST for messages, GET
 * for the server's stream, DELETE to end a session. Bearer tokens only (an API key, or an access
 * token of the MCP authorization flow), never the browser's cookie, so no other web page can
 * call it as a signed-in user; an Origin other than Tapeout's own (or MCP_ALLOWED_ORIGINS) is
 * refused, as the transport's spec asks against DNS rebinding.
 */
export function mcpRoutes(endpoint: McpEndpoint): Router {
  const router = Router();
  router.use(refuseForeignOrigins(endpoint.allowedOrigins, 'MCP_ALLOWED_ORIGINS'));
  router.use(bearerCaller(endpoint));
  router.use(express.json({ limit: '1mb' }));
  router.post('/', async (req, res) => {
    const sessionId = req.get('mcp-session-id');
    const caller = req.mcpCaller!;
    const transport = sessionId
      ? endpoint.sessions.find(sessionId, caller)
      : isInitializeRequest(req.body)
        ? await endpoint.sessions.start(caller)
        : undefined;
    if (!transport) return void rpcError(res, sessionId ? 404 : 400, sessionId ? 'Session not found' : noSession);
    await transport.handleRequest(req, res, req.body);
  });
  const inSession = async (req: Request, res: Response) => {
    const sessionId = req.get('mcp-session-id');
    const transport = sessionId && endpoint.sessions.find(sessionId, req.mcpCaller!);
    if (!transport) return void rpcError(res, sessionId ? 404 : 400, sessionId ? 'Session not found' : noSession);
    await transport.handleRequest(req, res);
  };
  router.get('/', inSession);
  router.delete('/', inSession);
  router.all('/', (_req, res) => void res.set('allow', 'GET, POST, DELETE').status(405).json(rpcErrorBody('Method not allowed')));
  return router;
}

const noSession = 'Bad request: send an initialize request first, or the Mcp-Session-Id header of your session.';

const rpcErrorBody = (message: string, code = -32000) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/** Session errors are the transport's own, in JSON-RPC's shape and codes, as the SDK answers them. */
function rpcError(res: Response, status: 400 | 404, message: string): void {
  res.status(status).json(rpcErrorBody(message, status === 404 ? -32001 : -32000));
}

/** Resolves the bearer token to a caller on every request; refusals carry RFC 9728's pointer to the authorization metadata. */
function bearerCaller(endpoint: McpEndpoint): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    // RFC 6750's challenge, with RFC 9728's pointer to how a token is obtained when OAuth is on.
    const challenge = (error?: 'invalid_request' | 'invalid_token') => {
      const parts = [endpoint.resourceMetadataUrl ? `resource_metadata="${endpoint.resourceMetadataUrl}"` : 'realm="tapeout"'];
      if (error === 'invalid_request') parts.push('error="invalid_request"', 'error_description="Malformed Authorization header"');
      if (error === 'invalid_token') parts.push('error="invalid_token"', 'error_description="The token is invalid, revoked or expired"');
      res.set('www-authenticate', `Bearer ${parts.join(', ')}`);
    };
    const header = req.get('authorization');
    if (!header) {
      challenge();
      return next(new AuthenticationError('Authentication required: send Authorization: Bearer <API key or MCP access token>.'));
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) {
      challenge('invalid_request');
      return next(new AuthenticationError('Malformed Authorization header: expected "Bearer <token>".'));
    }
    const caller = await endpoint.callerForToken(token);
    if (!caller) {
      challenge('invalid_token');
      return next(new AuthenticationError('Invalid, revoked or expired API key or access token.'));
    }
    req.mcpCaller = caller;
    // The SDK's transport hands `req.auth` to every tool and resource handler of this request.
    Object.assign(req, { auth: authInfoOf(caller, token) });
    req.principal = caller.principal;
    req.log = req.log.child({ userId: caller.principal.userId });
    next();
  };
}
