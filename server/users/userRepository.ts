import type { Queryable } from '../db/Database.ts';
import { isUuid } from '../db/uuid.ts';

/**
 * The SQL of `users`: every write and the reads of users by themselves. SCIM's filtered lists
 * and the access functions are read models. Passwords arrive here hashed.
 */

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  /** False once the identity provider deactivated the account: it reads nothing and cannot authenticate. */
  active: boolean;
}

export interface UserListing extends User {
  groups: string[];
  canSignIn: boolean;
  /** Signs in through the identity provider (OIDC) or was provisioned by it (SCIM). */
  managedByIdentityProvider: boolean;
  /** The name's parts, when the identity provider sent them (SCIM name.givenName, name.familyName). */
  givenName: string | null;
  familyName: string | null;
  createdAt: string;
}

export const userColumns = 'id, email, name, role, active';

/**
 * Serialises changes that could leave the instance without an active admin (demotions,
 * removals, deactivations), for the caller's transaction.
 */
export async function lockAdminChanges(db: Queryable): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tapeout:admins']);
}

export async function insertUser(
  db: Queryable,
  user: {
    email: string;
    name: string;
    role: User['role'];
    passwordHash?: string | null;
    oidc?: { issuer: string; subject: string };
    externalId?: string | null;
    active?: boolean;
  },
): Promise<User> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (email, name, role, password_hash, oidc_issuer, oidc_subject, external_id, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${userColumns}`,
    [
      user.email,
      user.name,
      user.role,
      user.passwordHash ?? null,
      user.oidc?.issuer ?? null,
      user.oidc?.subject ?? null,
      user.externalId ?? null,
      user.active ?? true,
    ],
  );
  return rows[0]!;
}

/** By id as a client gives it (one that is not a UUID is not found); `lock` takes the row for the caller's transaction. */
export async function findUser(db: Queryable, id: string, { lock = false } = {}): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function findUserByEmail(db: Queryable, email: string, { lock = false } = {}): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE lower(email) = lower($1)${lock ? ' FOR UPDATE' : ''}`, [
    email,
  ]);
  return rows[0];
}

export async function findUserByOidcSubject(db: Queryable, issuer: string, subject: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR UPDATE`, [
    issuer,
    subject,
  ]);
  return rows[0];
}

/** Which of these ids (as clients give them) are users. */
export async function existingUserIds(db: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM users WHERE id::text = ANY($1::text[])', [ids]);
  return rows.map((row) => row.id);
}

export async function passwordHashOf(
  db: Queryable,
  by: { id: string } | { email: string },
): Promise<(User & { passwordHash: string | null }) | undefined> {
  const { rows } = await db.query<User & { passwordHash: string | null }>(
    `SELECT ${userColumns}, password_hash AS "passwordHash" FROM users WHERE ${'id' in by ? 'id = $1' : 'lower(email) = lower($1)'}`,
    ['id' in by ? by.id : by.email],
  );
  return rows[0];
}

export async function listUsers(db: Queryable): Promise<UserListing[]> {
  const { rows } = await db.query<UserListing>(
    `SELECT u.id, u.email, u.name, u.role, u.active, u.given_name AS "givenName", u.family_name AS "familyName",
            u.password_hash IS NOT NULL AS "canSignIn", u.created_at AS "createdAt",
            (u.oidc_subject IS NOT NULL OR u.external_id IS NOT NULL OR u.scim_profile IS NOT NULL) AS "managedByIdentityProvider",
            coalesce(array_agg(g.name ORDER BY g.name) FILTER (WHERE g.name IS NOT NULL), '{}') AS groups
       FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN groups g ON g.id = m.group_id
      GROUP BY u.id ORDER BY lower(u.email)`,
  );
  return rows;
}

export async function countActiveAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM users WHERE role = 'admin' AND active`);
  return Number(rows[0]!.count);
}

/** What SCIM provisions of a user, stored exactly as given (null clears). */
export interface ScimUserFields {
  email: string;
  name: string;
  userName: string;
  givenName: string | null;
  familyName: string | null;
  externalId: string | null;
  profile: object;
}

export async function insertScimUser(
  db: Queryable,
  user: ScimUserFields & { active: boolean; passwordHash: string | null },
): Promise<User> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (email, name, role, user_name, given_name, family_name, external_id, scim_profile, active, password_hash)
     VALUES ($1, $2, 'member', $3, $4, $5, $6, $7, $8, $9) RETURNING ${userColumns}`,
    [user.email, user.name, user.userName, user.givenName, user.familyName, user.externalId, user.profile, user.active, user.passwordHash],
  );
  return rows[0]!;
}

export async function updateScimUser(db: Queryable, id: string, user: ScimUserFields): Promise<void> {
  await db.query(
    `UPDATE users SET email = $2, name = $3, user_name = $4, given_name = $5, family_name = $6, external_id = $7,
            scim_profile = $8, updated_at = now()
      WHERE id = $1`,
    [id, user.email, user.name, user.userName, user.givenName, user.familyName, user.externalId, user.profile],
  );
}

/** Changes the fields given. */
export async function updateUser(
  db: Queryable,
  id: string,
  fields: { email?: string; name?: string; role?: User['role']; externalId?: string | null },
): Promise<User> {
  const { rows } = await db.query<User>(
    `UPDATE users SET email = coalesce($2, email), name = coalesce($3, name), role = coalesce($4, role),
            external_id = coalesce($5, external_id), updated_at = now()
      WHERE id = $1 RETURNING ${userColumns}`,
    [id, fields.email ?? null, fields.name ?? null, fields.role ?? null, fields.externalId ?? null],
  );
  return rows[0]!;
}

export async function linkOidcIdentity(db: Queryable, id: string, oidc: { issuer: string; subject: string }): Promise<void> {
  await db.query('UPDATE users SET oidc_issuer = $2, oidc_subject = $3, updated_at = now() WHERE id = $1', [id, oidc.issuer, oidc.subject]);
}

export async function setUserActive(db: Queryable, id: string, active: boolean): Promise<void> {
  await db.query('UPDATE users SET active = $2, updated_at = now() WHERE id = $1', [id, active]);
}

export async function setPasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
}

/** Deletes a user; memberships, sessions and keys go with it (foreign keys cascade). */
export async function deleteUser(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM users WHERE id = $1', [id]);
}
