import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidGrantError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { credentialOwnerFor } from '../../access/policies.ts';
import { hashApiKey } from '../../auth/apiKeys.ts';
import type { Principal } from '../../auth/Principal.ts';
import { NotFoundError } from '../../errors.ts';
import type { CredentialEvents } from '../../auth/CredentialEvents.ts';
import type { McpSettings } from '../../config/index.ts';
import type { Database, Queryable } from '../../db/Database.ts';
import type { Logger } from '../../logging/logger.ts';
import type { McpCaller } from '../McpCaller.ts';
import { McpClientsStore } from './McpClientsStore.ts';
import * as grants from '../../auth/oauthGrantRepository.ts';

/** How long the user has to answer the consent page, and the client to redeem its code. */
const consentSeconds = 10 * 60;
const codeSeconds = 60;
export const accessTokenPrefix = 'tmcp_';
const refreshTokenPrefix = 'tmcpr_';

const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * Tapeout as the authorization server of its own MCP resource (MCP authorization, OAuth 2.1 with
 * PKCE): the SDK's handlers speak the protocol (metadata, /authorize, /token, /register, /revoke);
 * this decides. The user consents on Tapeout's own page after signing in there (password or SSO),
 * so an MCP client never sees a password. Tokens are opaque, stored hashed, bound to `/mcp` (and
 * accepted nowhere else), short-lived; refresh tokens rotate, and a rotated one presented again
 * revokes its grant (RFC 9700's reuse detection). Revoking a grant ends its MCP sessions at once.
 */
export class McpAuthorization implements OAuthServerProvider {
  readonly clientsStore: OAuthRegisteredClientsStore;

  constructor(
    private readonly deps: {
      db: Database;
      credentialEvents: CredentialEvents;
      settings: McpSettings;
      resourceUrl: string;
      logger: Logger;
    },
  ) {
    this.clientsStore = new McpClientsStore(deps.db);
  }

  /** /authorize, once the SDK checked the client, its redirect URI and PKCE: the consent page takes over. */
  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    this.requireThisResource(params.resource);
    await grants.deleteExpired(this.deps.db);
    const id = await grants.insertAuthorization(this.deps.db, {
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      state: params.state ?? null,
      resource: this.deps.resourceUrl,
      ttlSeconds: consentSeconds,
    });
    res.redirect(302, `/oauth/consent/${id}`);
  }

  /** The SDK asks this first, before PKCE: a code presented twice is caught here, and its grant revoked. */
  async challengeForAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<string> {
    const authorization = await this.redeemable(client, code, this.deps.db);
    if (authorization.codeUsedAt) {
      // A code presented twice may have been stolen: what it gave is taken back (OAuth 2.1, 4.1.3).
      await this.revokeGrant(authorization.grantId!, null, 'an authorization code was presented twice');
      throw new InvalidGrantError('The authorization code was already used.');
    }
    return authorization.codeChallenge;
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    _verifier?: string,
    redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    this.requireThisResource(resource);
    return this.deps.db.transaction(async (tx) => {
      const authorization = await this.redeemable(client, code, tx);
      if (authorization.codeUsedAt) throw new InvalidGrantError('The authorization code was already used.');
      if (redirectUri !== undefined && redirectUri !== authorization.redirectUri)
        throw new InvalidGrantError('redirect_uri differs from the one of the authorization request.');
      await grants.markCodeUsed(tx, authorization.id);
      return this.issueTokens(tx, authorization.grantId!);
    });
  }

  async exchangeRefreshToken(
    client: OAuthClientInformationFull,
    refreshToken: string,
    _scopes?: string[],
    resource?: URL,
  ): Promise<OAuthTokens> {
    this.requireThisResource(resource);
    const hash = hashApiKey(refreshToken);
    const reused = await this.deps.db.transaction(async (tx) => {
      const held = await grants.findToken(tx, hash);
      if (!held || held.kind !== 'refresh' || held.clientId !== client.client_id || held.grantRevoked || !held.active)
        throw new InvalidGrantError('The refresh token is invalid or revoked; sign in again.');
      if (held.revoked) return held.grantId;
      if (Date.parse(held.expiresAt) <= Date.now()) throw new InvalidGrantError('The refresh token has expired; sign in again.');
      await grants.revokeToken(tx, hash);
      return this.issueTokens(tx, held.grantId);
    });
    if (typeof reused !== 'string') return reused;
    await this.revokeGrant(reused, null, 'a rotated refresh token was presented again');
    throw new InvalidGrantError('The refresh token was already used; the grant is revoked, sign in again.');
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const caller = await this.callerFor(token);
    if (!caller) throw new InvalidTokenError('The access token is invalid, revoked or expired.');
    return { token, clientId: caller.credential.id, scopes: [], expiresAt: caller.expiresAt, resource: new URL(this.deps.resourceUrl) };
  }

  /** RFC 7009: revoking a refresh token revokes its grant; an access token, itself. Unknown tokens are ignored. */
  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const held = await grants.findToken(this.deps.db, hashApiKey(request.token));
    if (!held || held.clientId !== client.client_id) return;
    if (held.kind === 'refresh') await this.revokeGrant(held.grantId, null, 'revoked by its client');
    else await grants.revokeToken(this.deps.db, hashApiKey(request.token));
  }

  /** The caller an MCP access token stands for, checked on every request: undefined unless it is live. */
  async callerFor(token: string): Promise<McpCaller | undefined> {
    if (!token.startsWith(accessTokenPrefix)) return undefined;
    const held = await grants.findToken(this.deps.db, hashApiKey(token));
    if (!held || held.kind !== 'access' || held.revoked || held.grantRevoked || !held.active) return undefined;
    if (held.resource !== this.deps.resourceUrl) return undefined;
    const expiresAt = Math.floor(Date.parse(held.expiresAt) / 1000);
    if (expiresAt <= Date.now() / 1000) return undefined;
    return {
      principal: { userId: held.userId, email: held.email, role: held.role },
      credential: { kind: 'oauthGrant', id: held.grantId },
      expiresAt,
    };
  }

  /** What the consent page shows: which client asks, and where the answer goes. */
  async waiting(id: string): Promise<grants.PendingAuthorization> {
    const waiting = /^[0-9a-f-]{36}$/i.test(id) ? await grants.findWaitingAuthorization(this.deps.db, id) : undefined;
    if (!waiting) throw new NotFoundError(`Authorization request ${id} (it may have expired: start signing in from your MCP client again)`);
    return waiting;
  }

  /** The signed-in user's answer on the consent page: the URL to send the browser to (the client's redirect URI). */
  async answer(principal: Principal, id: string, approved: boolean): Promise<{ redirectTo: string; grantId?: string }> {
    const userId = principal.userId;
    if (!userId) throw new NotFoundError(`Authorization request ${id}`);
    return this.deps.db.transaction(async (tx) => {
      const waiting = await grants.findWaitingAuthorization(tx, id);
      if (!waiting)
        throw new NotFoundError(`Authorization request ${id} (it may have expired: start signing in from your MCP client again)`);
      const target = new URL(waiting.redirectUri);
      if (waiting.state !== null) target.searchParams.set('state', waiting.state);
      if (!approved) {
        await grants.deleteAuthorization(tx, id);
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The user declined.');
        return { redirectTo: target.href };
      }
      const grantId = await grants.insertGrant(tx, userId, waiting.clientId);
      const code = newSecret('');
      await grants.approveAuthorization(tx, id, grantId, hashApiKey(code), codeSeconds);
      target.searchParams.set('code', code);
      return { redirectTo: target.href, grantId };
    });
  }

  /** The live MCP sign-ins the principal manages (policies.ts: an admin's are everyone's). */
  async listGrants(principal: Principal): Promise<grants.GrantListing[]> {
    return grants.listGrants(this.deps.db, credentialOwnerFor(principal));
  }

  /** Revokes an MCP sign-in from the console: its tokens stop at once and its sessions end. */
  async revokeGrantAs(principal: Principal, grantId: string): Promise<void> {
    if (!(await this.revokeGrant(grantId, credentialOwnerFor(principal), 'revoked in the console')))
      throw new NotFoundError(`MCP sign-in ${grantId}`);
  }

  private async revokeGrant(grantId: string, ownerId: string | null, why: string): Promise<boolean> {
    const revoked = await grants.revokeGrant(this.deps.db, grantId, ownerId);
    if (!revoked) return false;
    this.deps.logger.info({ grantId: revoked, why }, 'MCP grant revoked');
    this.deps.credentialEvents.ended({ kind: 'oauthGrant', id: revoked });
    return true;
  }

  private async redeemable(client: OAuthClientInformationFull, code: string, db: Queryable) {
    const authorization = await grants.findAuthorizationByCode(db, hashApiKey(code));
    if (!authorization || authorization.clientId !== client.client_id)
      throw new InvalidGrantError('The authorization code is invalid or expired.');
    return authorization;
  }

  private async issueTokens(tx: Queryable, grantId: string): Promise<OAuthTokens> {
    const accessToken = newSecret(accessTokenPrefix);
    const refreshToken = newSecret(refreshTokenPrefix);
    const { accessTokenSeconds, refreshTokenSeconds } = this.deps.settings;
    const resource = this.deps.resourceUrl;
    await grants.insertToken(tx, { hash: hashApiKey(accessToken), grantId, kind: 'access', resource, ttlSeconds: accessTokenSeconds });
    await grants.insertToken(tx, { hash: hashApiKey(refreshToken), grantId, kind: 'refresh', resource, ttlSeconds: refreshTokenSeconds });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenSeconds, refresh_token: refreshToken };
  }

  /** RFC 8707: tokens are for /mcp alone; a client asking for another resource is refused. */
  private requireThisResource(resource: URL | undefined): void {
    if (resource && resource.href.replace(/\/$/, '') !== this.deps.resourceUrl)
      throw new InvalidTargetError(`This server issues tokens for ${this.deps.resourceUrl} only.`);
  }
}
