import { Router } from 'express';
import type { Services } from '../../services.ts';
import { audited, param } from '../audited.ts';
import { principalOf } from '../authenticate.ts';
import { presentAuthorizationRequest, presentMcpSignIn } from '../../presenters/mcpSignIns.ts';

/** What these routes use of the composition root. */
export type McpSignInRoutesDeps = Pick<Services, 'audit' | 'mcpAuthorization'>;

/**
 * The browser's side of MCP sign-in: the consent page reads the request and answers it (the
 * session's CSRF token required, as for every change), and the console lists and revokes the
 * MCP clients signed in (a member's own; an admin's, everyone's).
 */
export function mcpSignInRoutes(services: McpSignInRoutesDeps): Router {
  const router = Router();
  const authorization = services.mcpAuthorization;

  router.get('/mcp/authorizations/:id', async (req, res) => {
    res.json({ request: presentAuthorizationRequest(await authorization.waiting(String(req.params.id))) });
  });
  router.post(
    '/mcp/authorizations/:id/approve',
    audited(services.audit, 'mcp.sign_in_approved', param('mcp_authorization', 'id')),
    async (req, res) => {
      res.json(await authorization.answer(principalOf(req), String(req.params.id), true).then(({ redirectTo }) => ({ redirectTo })));
    },
  );
  router.post(
    '/mcp/authorizations/:id/deny',
    audited(services.audit, 'mcp.sign_in_declined', param('mcp_authorization', 'id')),
    async (req, res) => {
      res.json(await authorization.answer(principalOf(req), String(req.params.id), false));
    },
  );

  router.get('/mcp/sign-ins', async (req, res) => {
    res.json({ signIns: (await authorization.listGrants(principalOf(req))).map(presentMcpSignIn) });
  });
  router.delete('/mcp/sign-ins/:id', audited(services.audit, 'mcp.sign_in_revoked', param('mcp_grant', 'id')), async (req, res) => {
    await authorization.revokeGrantAs(principalOf(req), String(req.params.id));
    res.status(204).end();
  });
  return router;
}
