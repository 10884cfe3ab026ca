import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/Database.ts';
import { hashApiKey } from './apiKeys.ts';
import type { CredentialEvents } from './CredentialEvents.ts';
import type { Principal } from './Principal.ts';
import { deleteExpiredSessions, deleteSession, findLiveSession, insertSession, recordSessionSeen } from './sessionRepository.ts';

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
    const expiresAt = await insertSession(this.db, {
      tokenHash: hashApiKey(token),
      userId,
      csrfToken,
      ttlHours: this.ttlHours,
      idTokenHint: idTokenHint ?? null,
    });
    // Expired sessions of anybody are dropped here, which keeps the table small without a timer.
    await deleteExpiredSessions(this.db);
    return { token, csrfToken, expiresAt };
  }

  async resolve(token: string): Promise<ResolvedSession | undefined> {
    const tokenHash = hashApiKey(token);
    const session = await findLiveSession(this.db, tokenHash);
    if (!session) return undefined;
    // Recorded at most every five minutes, so reading a page does not cost a write per request.
    if (!session.seenLately) await recordSessionSeen(this.db, tokenHash);
    return { principal: { userId: session.userId, email: session.email, role: session.role }, csrfToken: session.csrfToken };
  }

  /**
   * Ends a session (sign-out); sockets it opened are closed at once. Returns the session's ID
   * token hint when it was an SSO sign-in, for the provider's end-session endpoint.
   */
  async revoke(token: string): Promise<{ idTokenHint: string | undefined }> {
    const tokenHash = hashApiKey(token);
    const deleted = await deleteSession(this.db, tokenHash);
    this.credentialEvents.ended({ kind: 'session', tokenHash });
    return { idTokenHint: deleted?.idTokenHint ?? undefined };
  }
}

export function sameCsrfToken(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
