import type { Database, Queryable } from '../db/Database.ts';
import { displayPrefix, hashApiKey } from '../auth/apiKeys.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Principal } from '../auth/Principal.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
}

const userColumns = 'id, email, name, role';

export class UserService {
  constructor(private readonly db: Database) {}

  async create(
    input: { email: string; name?: string; role: User['role']; password?: string },
    client: Queryable = this.db,
  ): Promise<User> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const { rows } = await client.query<User>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${userColumns}`,
      [input.email, input.name ?? '', input.role, passwordHash],
    );
    return rows[0]!;
  }

  async findByEmail(email: string, client: Queryable = this.db): Promise<User | undefined> {
    const { rows } = await client.query<User>(`SELECT ${userColumns} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0];
  }

  async setPassword(userId: string, password: string, client: Queryable = this.db): Promise<void> {
    await client.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, await hashPassword(password)]);
  }

  /** Stores only the key's hash. Adding a key that already exists is a no-op. */
  async addApiKey(userId: string, key: string, name: string, client: Queryable = this.db): Promise<void> {
    await client.query(
      `INSERT INTO api_keys (user_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (key_hash) DO NOTHING`,
      [userId, name, displayPrefix(key), hashApiKey(key)],
    );
  }

  /** The principal behind a valid, unrevoked, unexpired API key, or undefined. */
  async principalForApiKey(key: string): Promise<Principal | undefined> {
    const { rows } = await this.db.query<{ id: string; email: string; role: User['role'] }>(
      `UPDATE api_keys k SET last_used_at = now()
         FROM users u
        WHERE k.key_hash = $1 AND u.id = k.user_id AND k.revoked_at IS NULL
          AND (k.expires_at IS NULL OR k.expires_at > now())
       RETURNING u.id, u.email, u.role`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    return row ? { userId: row.id, email: row.email, role: row.role } : undefined;
  }

  async countAdmins(client: Queryable = this.db): Promise<number> {
    const { rows } = await client.query<{ count: string }>(`SELECT count(*) FROM users WHERE role = 'admin'`);
    return Number(rows[0]!.count);
  }
}
