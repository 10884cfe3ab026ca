import { generateApiKey } from '../auth/apiKeys.ts';
import type { CredentialEvents } from '../auth/CredentialEvents.ts';
import type { Principal } from '../auth/Principal.ts';
import { requireAdmin, seesEveryonesKeys } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';
import { listApiKeys, revokeApiKey, type ApiKeyListing, type KeyOwners } from './apiKeyRepository.ts';
import { NotFoundError } from '../errors.ts';
import type { UserService } from './UserService.ts';

export type { ApiKeyListing };

const ownersSeenBy = (principal: Principal): KeyOwners =>
  seesEveryonesKeys(principal) ? { everyone: true } : { everyone: false, ownerId: principal.userId };

/** API keys for scripts, the OpenAI-compatible API and socket.io clients. Admins manage everyone's; members their own. */
export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly users: UserService,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  async list(principal: Principal, onlyId?: string): Promise<ApiKeyListing[]> {
    return listApiKeys(this.db, ownersSeenBy(principal), onlyId);
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
    const id = await this.users.addApiKey(principal, ownerId, key, input.name, undefined, input.expiresInDays);
    const [listed] = await this.list(principal, id);
    return { key, apiKey: listed! };
  }

  /** Revokes a key; connections it opened (socket.io) are closed at once. */
  async revoke(principal: Principal, id: string): Promise<void> {
    const revoked = await revokeApiKey(this.db, id, ownersSeenBy(principal));
    if (!revoked) throw new NotFoundError(`API key ${id}`);
    this.credentialEvents.ended({ kind: 'apiKey', id: revoked });
  }
}
