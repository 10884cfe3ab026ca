import { displayPrefix, hashApiKey } from '../auth/apiKeys.ts';
import type { Queryable } from '../db/Database.ts';

/** The SQL of `api_keys`, and only here. Keys are stored as their hash; rules live in the services. */

export interface ApiKeyListing {
  id: string;
  name: string;
  prefix: string;
  owner: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyHolder {
  keyId: string;
  userId: string;
  email: string;
  role: 'admin' | 'member';
}

/** Stores a key's hash; returns its id, or undefined when that key exists already. */
export async function insertApiKey(
  db: Queryable,
  key: { userId: string; key: string; name: string; expiresInDays?: number },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO api_keys (user_id, name, prefix, key_hash, expires_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
     ON CONFLICT (key_hash) DO NOTHING RETURNING id`,
    [key.userId, key.name, displayPrefix(key.key), hashApiKey(key.key), key.expiresInDays ?? null],
  );
  return rows[0]?.id;
}

/** Whose keys a statement may touch: everyone's, or one owner's (none when the owner is null). */
export type KeyOwners = { everyone: true } | { everyone: false; ownerId: string | null };

const ownerParameters = (owners: KeyOwners) => [owners.everyone, owners.everyone ? null : owners.ownerId];

/** Keys of `owners`, or the one key `onlyId` among them. Unrevoked first. */
export async function listApiKeys(db: Queryable, owners: KeyOwners, onlyId?: string): Promise<ApiKeyListing[]> {
  const { rows } = await db.query<ApiKeyListing>(
    `SELECT k.id, k.name, k.prefix, u.email AS owner, k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt",
            k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt"
       FROM api_keys k JOIN users u ON u.id = k.user_id
      WHERE ($1 OR k.user_id = $2) AND ($3::uuid IS NULL OR k.id = $3)
      ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC`,
    [...ownerParameters(owners), onlyId ?? null],
  );
  return rows;
}

/** Revokes key `id` if it is one of `owners`'; its id, or undefined when there is no such key. */
export async function revokeApiKey(db: Queryable, id: string, owners: KeyOwners): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id::text = $1 AND ($2 OR user_id = $3) RETURNING id`,
    [id, ...ownerParameters(owners)],
  );
  return rows[0]?.id;
}

/** Revokes the user's bootstrap keys other than `keptKey`; the ids revoked. */
export async function revokeOtherBootstrapKeys(db: Queryable, userId: string, keptKey: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE api_keys SET revoked_at = now()
      WHERE user_id = $1 AND name IN ('bootstrap', 'ADMIN_API_KEY') AND key_hash <> $2 AND revoked_at IS NULL RETURNING id`,
    [userId, hashApiKey(keptKey)],
  );
  return rows.map((row) => row.id);
}

export async function isUnrevokedKeyOf(db: Queryable, userId: string, key: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM api_keys WHERE key_hash = $1 AND user_id = $2 AND revoked_at IS NULL', [
    hashApiKey(key),
    userId,
  ]);
  return Boolean(rowCount);
}

/** The active user holding a valid (unrevoked, unexpired) key, noting the key's use; undefined otherwise. */
export async function useApiKey(db: Queryable, key: string): Promise<ApiKeyHolder | undefined> {
  const { rows } = await db.query<ApiKeyHolder>(
    `UPDATE api_keys k SET last_used_at = now()
       FROM users u
      WHERE k.key_hash = $1 AND u.id = k.user_id AND u.active AND k.revoked_at IS NULL
        AND (k.expires_at IS NULL OR k.expires_at > now())
     RETURNING k.id AS "keyId", u.id AS "userId", u.email, u.role`,
    [hashApiKey(key)],
  );
  return rows[0];
}
