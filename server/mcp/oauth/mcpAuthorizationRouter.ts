import type { RequestHandler } from 'express';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { isHttpsOrLoopback } from '../../config/schema.ts';
import type { Logger } from '../../logging/logger.ts';
import type { McpAuthorization } from './McpAuthorization.ts';

/**
 * The authorization server's endpoints, as the SDK implements them from the MCP spec: RFC 8414
 * and RFC 9728 metadata under /.well-known, /authorize, /token, /register (RFC 7591) and
 * /revoke (RFC 7009), at the root of PUBLIC_URL. OAuth needs an https issuer (http only on
 * localhost): elsewhere /mcp takes API keys only, and start-up says so.
 */
export function mcpAuthorizationRouter(
  authorization: McpAuthorization,
  options: { publicUrl: string; resourceUrl: string; logger: Logger },
): RequestHandler | undefined {
  if (!isHttpsOrLoopback(options.publicUrl)) {
    options.logger.warn(
      { publicUrl: options.publicUrl },
      'MCP sign-in (OAuth) is off: PUBLIC_URL must be https (or http on localhost); /mcp takes API keys only',
    );
    return undefined;
  }
  return mcpAuthRouter({
    provider: authorization,
    issuerUrl: new URL(options.publicUrl),
    resourceServerUrl: new URL(options.resourceUrl),
    resourceName: 'Tapeout',
  });
}
