import type { GrantListing, PendingAuthorization } from '../auth/oauthGrantRepository.ts';

/** What the consent page shows of an MCP client asking to act as the user. */
export function presentAuthorizationRequest(request: PendingAuthorization) {
  const redirect = new URL(request.redirectUri);
  return {
    id: request.id,
    client: { id: request.clientId, name: request.clientName },
    redirectUri: request.redirectUri,
    // Where the browser goes after the answer: a loopback host is an app on the user's own machine.
    redirectHost: redirect.host || redirect.protocol,
    local: ['localhost', '127.0.0.1', '[::1]'].includes(redirect.hostname),
    expiresAt: request.expiresAt,
  };
}

/** An MCP client a user signed in to Tapeout with, as the console lists it. */
export function presentMcpSignIn(grant: GrantListing) {
  return {
    id: grant.id,
    client: { id: grant.clientId, name: grant.clientName },
    user: { id: grant.userId, email: grant.userEmail },
    createdAt: grant.createdAt,
    lastUsedAt: grant.lastUsedAt,
  };
}

export type AuthorizationRequestResponse = ReturnType<typeof presentAuthorizationRequest>;
export type McpSignInResponse = ReturnType<typeof presentMcpSignIn>;
