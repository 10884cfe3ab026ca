import type { CredentialEvents } from '../auth/CredentialEvents.ts';
import type { McpSettings } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { reportMcpSessions } from '../observability/metrics.ts';
import type { UserService } from '../users/UserService.ts';
import { createMcpServer, type McpServerDeps } from './createMcpServer.ts';
import type { McpCaller } from './McpCaller.ts';
import type { McpAuthorization } from './oauth/McpAuthorization.ts';
import { mcpAuthorizationRouter } from './oauth/mcpAuthorizationRouter.ts';
import type { RequestHandler } from 'express';
import { McpSessions } from './McpSessions.ts';

export { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/**
 * What /mcp needs: who a bearer token is (an MCP access token or an API key, checked against the
 * database on every request), the open sessions, and the origins allowed to call it.
 */
export class McpEndpoint {
  readonly sessions: McpSessions;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly resourceUrl: string;
  /** RFC 9728's document for /mcp, where a client learns how to get a token; undefined when OAuth is off. */
  readonly resourceMetadataUrl: string | undefined;
  /** The OAuth endpoints (metadata, /authorize, /token, /register, /revoke); undefined when OAuth is off. */
  readonly authorizationRouter: RequestHandler | undefined;
  private readonly stopWatching: () => void;
  private readonly stopReporting: () => void;

  constructor(
    private readonly deps: {
      settings: McpSettings;
      publicUrl: string;
      version: string;
      users: UserService;
      credentialEvents: CredentialEvents;
      /** The authorization flow's server (its tokens are checked before API keys), served when PUBLIC_URL allows OAuth. */
      authorization?: McpAuthorization;
      server: McpServerDeps;
      logger: Logger;
    },
  ) {
    this.resourceUrl = `${deps.publicUrl}/mcp`;
    this.allowedOrigins = new Set([new URL(deps.publicUrl).origin, ...deps.settings.allowedOrigins]);
    this.sessions = new McpSessions({
      idleMs: deps.settings.sessionIdleMs,
      maxPerUser: deps.settings.maxSessionsPerUser,
      newServer: () => createMcpServer(deps.server, deps.version),
      logger: deps.logger,
    });
    this.authorizationRouter =
      deps.authorization &&
      mcpAuthorizationRouter(deps.authorization, { publicUrl: deps.publicUrl, resourceUrl: this.resourceUrl, logger: deps.logger });
    this.resourceMetadataUrl = this.authorizationRouter && `${deps.publicUrl}/.well-known/oauth-protected-resource/mcp`;
    this.stopWatching = deps.credentialEvents.onEnded((ended) => this.sessions.credentialEnded(ended));
    this.stopReporting = reportMcpSessions(() => this.sessions.size);
  }

  async callerForToken(token: string): Promise<McpCaller | undefined> {
    const byOauth = this.authorizationRouter && (await this.deps.authorization?.callerFor(token));
    if (byOauth) return byOauth;
    const byKey = await this.deps.users.apiKeyCredential(token);
    return byKey && byKey.principal.userId ? { principal: byKey.principal, credential: { kind: 'apiKey', id: byKey.keyId } } : undefined;
  }

  async close(): Promise<void> {
    this.stopWatching();
    this.stopReporting();
    await this.sessions.close();
  }
}
