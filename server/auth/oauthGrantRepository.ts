import type { Queryable } from '../db/Database.ts';

export interface PendingAuthorization {
  id: string;
  clientId: string;
  clientName: string | null;
  redirectUri: string;
  codeChallenge: string;
  state: string | null;
  resource: string;
  grantId: string | null;
  codeUsedAt: string | null;
  expiresAt: string;
}

export interface GrantListing {
  id: string;
  clientId: string;
  clientName: string | null;
  userId: string;
  userEmail: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TokenHolder {
  grantId: string;
  clientId: string;
  kind: 'access' | 'refresh';
  resource: string;
  expiresAt: string;
  revoked: boolean;
  grantRevoked: boolean;
  userId: string;
  email: string;
  role: 'admin' | 'member';
  active: boolean;
}

/** The SQL of a grant and what hangs from it: oauth_authorizations, oauth_grants, oauth_tokens. */
export async function insertAuthorization(
  db: Queryable,
  request: { clientId: string; redirectUri: string; codeChallenge: string; state: string | null; resource: string; ttlSeconds: number },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO oauth_authorizations (client_id, redirect_uri, code_challenge, state, resource, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING id`,
    [request.clientId, request.redirectUri, request.codeChallenge, request.state, request.resource, request.ttlSeconds],
  );
  return rows[0]!.id;
}

const authorizationColumns = `a.id, a.client_id AS "clientId", c.client_name AS "clientName", a.redirect_uri AS "redirectUri",
  a.code_challenge AS "codeChallenge", a.state, a.resource, a.grant_id AS "grantId", a.code_used_at AS "codeUsedAt", a.expires_at AS "expiresAt"`;

/** An authorization still waiting for the user's answer (not expired, no code given yet). */
export async function findWaitingAuthorization(db: Queryable, id: string): Promise<PendingAuthorization | undefined> {
  const { rows } = await db.query<PendingAuthorization>(
    `SELECT ${authorizationColumns} FROM oauth_authorizations a JOIN oauth_clients c ON c.client_id = a.client_id
      WHERE a.id::text = $1 AND a.expires_at > now() AND a.code_hash IS NULL FOR UPDATE OF a`,
    [id],
  );
  return rows[0];
}

export async function findAuthorizationByCode(db: Queryable, codeHash: string): Promise<PendingAuthorization | undefined> {
  const { rows } = await db.query<PendingAuthorization>(
    `SELECT ${authorizationColumns} FROM oauth_authorizations a JOIN oauth_clients c ON c.client_id = a.client_id
      WHERE a.code_hash = $1 AND a.expires_at > now() FOR UPDATE OF a`,
    [codeHash],
  );
  return rows[0];
}

export async function approveAuthorization(
  db: Queryable,
  id: string,
  grantId: string,
  codeHash: string,
  codeTtlSeconds: number,
): Promise<void> {
  await db.query(
    `UPDATE oauth_authorizations SET grant_id = $2, code_hash = $3, expires_at = now() + make_interval(secs => $4) WHERE id = $1`,
    [id, grantId, codeHash, codeTtlSeconds],
  );
}

export async function markCodeUsed(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE oauth_authorizations SET code_used_at = now() WHERE id = $1', [id]);
}

export async function deleteAuthorization(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM oauth_authorizations WHERE id = $1', [id]);
}

export async function deleteExpired(db: Queryable): Promise<void> {
  await db.query('DELETE FROM oauth_authorizations WHERE expires_at < now()');
  await db.query(`DELETE FROM oauth_tokens WHERE expires_at < now() - interval '1 day'`);
}

export async function insertGrant(db: Queryable, userId: string, clientId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO oauth_grants (user_id, client_id) VALUES ($1, $2) RETURNING id', [
    userId,
    clientId,
  ]);
  return rows[0]!.id;
}

/** Revokes a grant of `ownerId` (any owner's when null) and its tokens; the grant's id, or undefined when none was live. */
export async function revokeGrant(db: Queryable, grantId: string, ownerId: string | null): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE oauth_grants SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR user_id = $2) RETURNING id`,
    [grantId, ownerId],
  );
  if (rows[0]) await db.query('UPDATE oauth_tokens SET revoked_at = now() WHERE grant_id = $1 AND revoked_at IS NULL', [rows[0].id]);
  return rows[0]?.id;
}

/** Live grants of `ownerId`, or of everyone when null, most recently used first. */
export async function listGrants(db: Queryable, ownerId: string | null): Promise<GrantListing[]> {
  const { rows } = await db.query<GrantListing>(
    `SELECT g.id, g.client_id AS "clientId", c.client_name AS "clientName", g.user_id AS "userId", u.email AS "userEmail",
            g.created_at AS "createdAt", g.last_used_at AS "lastUsedAt"
       FROM oauth_grants g JOIN oauth_clients c ON c.client_id = g.client_id JOIN users u ON u.id = g.user_id
      WHERE g.revoked_at IS NULL AND ($1::uuid IS NULL OR g.user_id = $1)
      ORDER BY coalesce(g.last_used_at, g.created_at) DESC`,
    [ownerId],
  );
  return rows;
}

export async function insertToken(
  db: Queryable,
  token: { hash: string; grantId: string; kind: 'access' | 'refresh'; resource: string; ttlSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO oauth_tokens (token_hash, grant_id, kind, resource, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [token.hash, token.grantId, token.kind, token.resource, token.ttlSeconds],
  );
  await db.query('UPDATE oauth_grants SET last_used_at = now() WHERE id = $1', [token.grantId]);
}

export async function findToken(db: Queryable, hash: string): Promise<TokenHolder | undefined> {
  const { rows } = await db.query<TokenHolder>(
    `SELECT t.grant_id AS "grantId", g.client_id AS "clientId", t.kind, t.resource, t.expires_at AS "expiresAt",
            t.revoked_at IS NOT NULL AS revoked, g.revoked_at IS NOT NULL AS "grantRevoked",
            u.id AS "userId", u.email, u.role, u.active
       FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id JOIN users u ON u.id = g.user_id
      WHERE t.token_hash = $1`,
    [hash],
  );
  return rows[0];
}

export async function revokeToken(db: Queryable, hash: string): Promise<void> {
  await db.query('UPDATE oauth_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
}
