import type { Queryable } from '../db/Database.ts';
import type { Principal } from './Principal.ts';

/** The SQL of `sessions` (browser sign-ins); tokens are stored as their hash. */

export interface StoredSession {
  userId: string;
  email: string;
  role: Principal['role'];
  csrfToken: string;
  /** Whether its last use was recorded in the past five minutes. */
  seenLately: boolean;
}

/** Stores a session; when it expires. */
export async function insertSession(
  db: Queryable,
  session: { tokenHash: string; userId: string; csrfToken: string; ttlHours: number; idTokenHint: string | null },
): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, id_token_hint) VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)
     RETURNING expires_at`,
    [session.tokenHash, session.userId, session.csrfToken, session.ttlHours, session.idTokenHint],
  );
  return rows[0]!.expires_at;
}

export async function deleteExpiredSessions(db: Queryable): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at < now()');
}

/** An unexpired session of an active user. */
export async function findLiveSession(db: Queryable, tokenHash: string): Promise<StoredSession | undefined> {
  const { rows } = await db.query<StoredSession>(
    `SELECT u.id AS "userId", u.email, u.role, s.csrf_token AS "csrfToken", s.last_seen_at > now() - interval '5 minutes' AS "seenLately"
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
    [tokenHash],
  );
  return rows[0];
}

export async function recordSessionSeen(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
}

/** Deletes a session; whether it existed, and its ID token hint when it was an SSO sign-in. */
export async function deleteSession(db: Queryable, tokenHash: string): Promise<{ idTokenHint: string | null } | undefined> {
  const { rows } = await db.query<{ idTokenHint: string | null }>(
    'DELETE FROM sessions WHERE token_hash = $1 RETURNING id_token_hint AS "idTokenHint"',
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}
