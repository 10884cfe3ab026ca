import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/Database.ts';
import { hashApiKey } from './apiKeys.ts';
import type { CredentialEvents } from './CredentialEvents.ts';
import type { Principal } from './Principal.ts';

export const sessionCookieName = 'tapeout_session';
export const csrfHeaderName = 'x-csrf-token';

export interface IssuedSession {
  /** Goes only into the httpOnly cookie. */
  token: string;
  /** Given to the page, which sends it back in the X-CSRF-Token header. */
  csrfToken: string;
  expiresAt: Date;
}

export interface ResolvedSession {
  principal: Principal;
  csrfToken: string;
}

/**
 * Browser sessions. The cookie's token has 256 bits of entropy and is stored hashed, as API
 * keys are; the role comes from the users table on every request, so demoting a user takes
 * effect at once.
 */
export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly ttlHours: number,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  /** `idTokenHint`: the provider's ID token of an SSO sign-in, for signing out there too. */
  async create(userId: string, idTokenHint?: string): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const { rows } = await this.db.query<{ expires_at: Date }>(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, id_token_hint) VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)
       RETURNING expires_at`,
      [hashApiKey(token), userId, csrfToken, this.ttlHours, idTokenHint ?? null],
    );
    // Expired sessions of anybody are dropped here, which keeps the table small without a timer.
    await this.db.query('DELETE FROM sessions WHERE expires_at < now()');
    return { token, csrfToken, expiresAt: rows[0]!.expires_at };
  }

  async resolve(token: string): Promise<ResolvedSession | undefined> {
    const tokenHash = hashApiKey(token);
    const { rows } = await this.db.query<{ id: string; email: string; role: Principal['role']; csrf_token: string; seen_lately: boolean }>(
      `SELECT u.id, u.email, u.role, s.csrf_token, s.last_seen_at > now() - interval '5 minutes' AS seen_lately
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    // Recorded at most every five minutes, so reading a page does not cost a write per request.
    if (!row.seen_lately) await this.db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
    return { principal: { userId: row.id, email: row.email, role: row.role }, csrfToken: row.csrf_token };
  }

  /**
   * Ends a session (sign-out); sockets it opened are closed at once. Returns the session's ID
   * token hint when it was an SSO sign-in, for the provider's end-session endpoint.
   */
  async revoke(token: string): Promise<{ idTokenHint: string | undefined }> {
    const tokenHash = hashApiKey(token);
    const { rows } = await this.db.query<{ id_token_hint: string | null }>(
      'DELETE FROM sessions WHERE token_hash = $1 RETURNING id_token_hint',
      [tokenHash],
    );
    this.credentialEvents.ended({ kind: 'session', tokenHash });
    return { idTokenHint: rows[0]?.id_token_hint ?? undefined };
  }
}

export function sameCsrfToken(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
