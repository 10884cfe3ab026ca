import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Principal } from '../auth/Principal.ts';
import { AuthenticationError } from '../errors.ts';

/** What a caller of /mcp signed in with: an API key, or an OAuth grant of the MCP authorization flow. */
export type McpCredential = { kind: 'apiKey'; id: string } | { kind: 'oauthGrant'; id: string };

/** Who calls /mcp, resolved from the database on every request: never from the session it opened. */
export interface McpCaller {
  principal: Principal;
  credential: McpCredential;
  /** Unix seconds when the token stops being accepted (OAuth access tokens); none for API keys. */
  expiresAt?: number;
}

/** The SDK hands each handler the AuthInfo given with the request; Tapeout's caller rides in `extra`. */
export function authInfoOf(caller: McpCaller, token: string): AuthInfo {
  return {
    token,
    clientId: caller.credential.kind === 'oauthGrant' ? caller.credential.id : `api-key:${caller.credential.id}`,
    scopes: [],
    expiresAt: caller.expiresAt,
    extra: { caller },
  };
}

export function callerOf(extra: { authInfo?: AuthInfo }): McpCaller {
  const caller = extra.authInfo?.extra?.caller as McpCaller | undefined;
  if (!caller) throw new AuthenticationError();
  return caller;
}

export function sameCredential(a: McpCredential, b: McpCredential): boolean {
  return a.kind === b.kind && a.id === b.id;
}
