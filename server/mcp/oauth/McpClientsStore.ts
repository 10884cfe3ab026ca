import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidClientMetadataError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Database } from '../../db/Database.ts';
import { countClients, deleteUnusedClients, findClient, insertClient } from '../../auth/oauthClientRepository.ts';

/** Anyone may register (RFC 7591, as MCP clients expect): so there is a ceiling, and unused registrations are swept. */
export const clientLimits = { registered: 10_000, unusedDays: 7, redirectUris: 10 } as const;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * MCP clients registered dynamically. Every client is public: anyone can register one, so a
 * client secret would prove nothing; each flow is bound by PKCE and the user's consent instead.
 * RFC 7591 lets the server replace requested metadata, so a request for `client_secret_post` is
 * answered with `none` and no secret. Redirect URIs must be https, http on this machine
 * (native apps, RFC 8252) or an app's own scheme (vscode://, cursor://).
 */
export class McpClientsStore implements OAuthRegisteredClientsStore {
  constructor(private readonly db: Database) {}

  async getClient(clientId: string): Promise<OAuthClientInformationFull | undefined> {
    const found = await findClient(this.db, clientId);
    return found && ({ ...found.metadata, client_id: found.clientId, redirect_uris: found.redirectUris } as OAuthClientInformationFull);
  }

  async registerClient(client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>): Promise<OAuthClientInformationFull> {
    const { client_secret: _secret, client_secret_expires_at: _expiry, ...metadata } = client as OAuthClientInformationFull;
    if (!metadata.client_id) throw new InvalidClientMetadataError('The client id was not generated.');
    if (metadata.redirect_uris.length > clientLimits.redirectUris)
      throw new InvalidClientMetadataError(`A client may register at most ${clientLimits.redirectUris} redirect URIs.`);
    for (const uri of metadata.redirect_uris) refuseUnsafeRedirect(uri);
    await deleteUnusedClients(this.db, clientLimits.unusedDays);
    if ((await countClients(this.db)) >= clientLimits.registered)
      throw new InvalidClientMetadataError('This server has as many registered MCP clients as it allows; ask an admin.');
    const stored: OAuthClientInformationFull = {
      ...metadata,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
    await insertClient(this.db, {
      clientId: stored.client_id,
      clientName: stored.client_name?.slice(0, 200) ?? null,
      redirectUris: stored.redirect_uris.map(String),
      metadata: stored,
    });
    return stored;
  }
}

function refuseUnsafeRedirect(uri: string): void {
  const url = new URL(uri);
  const scheme = url.protocol.slice(0, -1);
  const safe =
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) ||
    (!['http', 'https', 'javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ws', 'wss'].includes(scheme) &&
      /^[a-z][a-z0-9+.-]*$/.test(scheme));
  if (!safe || url.hash)
    throw new InvalidClientMetadataError(
      `redirect_uri ${uri} is refused: use https, http on localhost, or an app's own scheme, without a fragment.`,
    );
}
