import { generateApiKey } from '../auth/apiKeys.ts';
import type { CredentialEvents } from '../auth/CredentialEvents.ts';
import type { Principal } from '../auth/Principal.ts';
import { requireAdmin, seesEveryonesKeys } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';
import { NotFoundError } from '../errors.ts';
import type { UserService } from './UserService.ts';

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

/** API keys for scripts, the OpenAI-compatible API and socket.io clients. Admins manage everyone's; members their own. */
export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly users: UserService,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  async list(principal: Principal, onlyId?: string): Promise<ApiKeyListing[]> {
    const { rows } = await this.db.query<ApiKeyListing>(
      `SELECT k.id, k.name, k.prefix, u.email AS owner, k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt",
              k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt"
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE ($1 OR k.user_id = $2) AND ($3::uuid IS NULL OR k.id = $3) ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC`,
      [seesEveryonesKeys(principal), principal.userId, onlyId ?? null],
    );
    return rows;
  }

  /** A new key for the asker, or (admins only) for another user; the key itself is returned only here. */
  async create(
    principal: Principal,
    input: { name: string; ownerEmail?: string; expiresInDays?: number },
  ): Promise<{ key: string; apiKey: ApiKeyListing }> {
    let ownerId = principal.userId;
    if (input.ownerEmail) requireAdmin(principal, 'create keys for other users');
    if (input.ownerEmail) {
      const owner = await this.users.findByEmail(input.ownerEmail);
      if (!owner) throw new NotFoundError(`User ${input.ownerEmail}`);
      ownerId = owner.id;
    }
    if (!ownerId) throw new NotFoundError('Your user');
    const key = generateApiKey();
    const id = await this.users.addApiKey(ownerId, key, input.name, undefined, input.expiresInDays);
    const [listed] = await this.list(principal, id);
    return { key, apiKey: listed! };
  }

  /** Revokes a key; connections it opened (socket.io) are closed at once. */
  async revoke(principal: Principal, id: string): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id::text = $1 AND ($2 OR user_id = $3) RETURNING id`,
      [id, seesEveryonesKeys(principal), principal.userId],
    );
    if (!rows[0]) throw new NotFoundError(`API key ${id}`);
    this.credentialEvents.ended({ kind: 'apiKey', id: rows[0].id });
  }
}
