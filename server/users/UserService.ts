import type { Database, Queryable } from '../db/Database.ts';
import { deleteSessionsOfUser } from '../auth/sessionRepository.ts';
import { insertApiKey, isUnrevokedKeyOf, revokeOtherBootstrapKeys, useApiKey } from './apiKeyRepository.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import {
  countActiveAdmins,
  deleteUser,
  findUser,
  findUserByEmail,
  insertUser,
  listUsers,
  lockAdminChanges,
  passwordHashOf,
  setPasswordHash,
  setUserActive,
  updateUser,
  type User,
  type UserListing,
} from './userRepository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { CredentialEvents } from '../auth/CredentialEvents.ts';
import type { Principal } from '../auth/Principal.ts';
import { requireAdmin, requireSelfOrAdmin } from '../access/policies.ts';

export type { User, UserListing };

/** Who is signed in, as the web app's session tells it. */
export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'role'>;

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
const decoyHash = hashPassword('decoy password that matches nothing');

export class UserService {
  constructor(
    private readonly db: Database,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  async create(
    principal: Principal,
    input: { email: string; name?: string; role: User['role']; password?: string },
    client: Queryable = this.db,
  ): Promise<User> {
    requireAdmin(principal, 'add users');
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return insertUser(client, { email: input.email, name: input.name ?? '', role: input.role, passwordHash });
  }

  async findByEmail(email: string, client: Queryable = this.db): Promise<User | undefined> {
    return findUserByEmail(client, email);
  }

  /** The user whose email and password these are, or undefined (same time either way). */
  async verifyCredentials(email: string, password: string): Promise<User | undefined> {
    const found = await passwordHashOf(this.db, { email });
    const matches = await verifyPassword(password, found?.passwordHash ?? (await decoyHash));
    if (!found?.passwordHash || !matches) return undefined;
    return { id: found.id, email: found.email, name: found.name, role: found.role, active: found.active };
  }

  async list(principal: Principal): Promise<UserListing[]> {
    requireAdmin(principal, 'list users');
    return listUsers(this.db);
  }

  async register(principal: Principal, input: { email: string; name?: string; role: User['role']; password?: string }): Promise<User> {
    requireAdmin(principal, 'add users');
    if (await this.findByEmail(input.email)) throw new ConflictError(`A user with email ${input.email} already exists.`);
    return this.create(principal, input);
  }

  /** Changes a user; the last admin can neither be demoted nor removed, so the instance stays manageable. */
  async update(principal: Principal, id: string, patch: { name?: string; role?: User['role']; password?: string }): Promise<User> {
    requireAdmin(principal, 'change users');
    return this.db.transaction(async (client) => {
      await lockAdminChanges(client);
      const user = await findUser(client, id, { lock: true });
      if (!user) throw new NotFoundError(`User ${id}`);
      if (patch.role === 'member' && user.role === 'admin' && (await this.countAdmins(client)) <= 1) {
        throw new ValidationError('This is the only admin; make another user an admin first.');
      }
      const updated = await updateUser(client, user.id, { name: patch.name, role: patch.role });
      if (patch.password) await this.setPassword(principal, user.id, patch.password, client);
      // A new password or a changed role ends the user's browser sessions.
      if (patch.password || (patch.role && patch.role !== user.role)) await this.endSessions(principal, user.id, client);
      return updated;
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal, 'remove users');
    if (id === principal.userId) throw new ValidationError('You cannot remove yourself.');
    await this.db.transaction(async (client) => {
      await lockAdminChanges(client);
      const user = await findUser(client, id);
      if (!user) throw new NotFoundError(`User ${id}`);
      if (user.role === 'admin' && (await this.countAdmins(client)) <= 1) throw new ValidationError('This is the only admin.');
      await deleteUser(client, user.id);
    });
    this.credentialEvents.ended({ kind: 'user', userId: id });
  }

  /**
   * Activates or deactivates a user (SCIM's `active`). Deactivation takes effect at once: browser
   * sessions end, API keys stop working (they are checked against `active` on every request) and
   * open sockets close. The last active admin cannot be deactivated.
   */
  async setActive(principal: Principal, id: string, active: boolean, client?: Queryable): Promise<void> {
    requireAdmin(principal, 'activate or deactivate users');
    const apply = async (tx: Queryable) => {
      await lockAdminChanges(tx);
      const user = await findUser(tx, id, { lock: true });
      if (!user) throw new NotFoundError(`User ${id}`);
      if (user.active === active) return false;
      if (!active && user.role === 'admin' && (await this.countAdmins(tx)) <= 1)
        throw new ValidationError('This is the only admin; it cannot be deactivated.');
      await setUserActive(tx, user.id, active);
      if (!active) await deleteSessionsOfUser(tx, user.id);
      return !active;
    };
    const deactivated = client ? await apply(client) : await this.db.transaction(apply);
    if (deactivated) this.credentialEvents.ended({ kind: 'user', userId: id });
  }

  async hasPassword(userId: string, password: string, client: Queryable = this.db): Promise<boolean> {
    const stored = (await passwordHashOf(client, { id: userId }))?.passwordHash;
    return Boolean(stored && (await verifyPassword(password, stored)));
  }

  /** Ends every browser session of the user (and, through the credential events, its sockets). */
  async endSessions(principal: Principal, userId: string, client: Queryable = this.db): Promise<void> {
    requireSelfOrAdmin(principal, userId, "end another user's sessions");
    await deleteSessionsOfUser(client, userId);
    this.credentialEvents.ended({ kind: 'userSessions', userId });
  }

  /**
   * Makes `key` the bootstrap admin's key: added when new, and every other bootstrap key of the
   * user (generated at first start, or an earlier ADMIN_API_KEY) revoked. Keys the admin made in
   * the console are left alone. A configured key that someone revoked stays revoked (it may have
   * leaked): the answer is false then.
   */
  async replaceBootstrapKey(principal: Principal, userId: string, key: string, client: Queryable = this.db): Promise<boolean> {
    requireAdmin(principal, 'replace the bootstrap key');
    await insertApiKey(client, { userId, key, name: 'ADMIN_API_KEY' });
    for (const id of await revokeOtherBootstrapKeys(client, userId, key)) this.credentialEvents.ended({ kind: 'apiKey', id });
    return isUnrevokedKeyOf(client, userId, key);
  }

  async setPassword(principal: Principal, userId: string, password: string, client: Queryable = this.db): Promise<void> {
    requireAdmin(principal, 'set passwords');
    await setPasswordHash(client, userId, await hashPassword(password));
  }

  /** Gives the user `key` (stored as its hash); the key's id, or undefined when that key exists already. */
  async addApiKey(
    principal: Principal,
    userId: string,
    key: string,
    name: string,
    client: Queryable = this.db,
    expiresInDays?: number,
  ): Promise<string | undefined> {
    requireSelfOrAdmin(principal, userId, 'create keys for other users');
    return insertApiKey(client, { userId, key, name, expiresInDays });
  }

  /** The principal behind a valid, unrevoked, unexpired API key, or undefined. */
  async principalForApiKey(key: string): Promise<Principal | undefined> {
    return (await this.apiKeyCredential(key))?.principal;
  }

  /** The principal behind a valid API key, with the key's id (long-lived connections watch it). */
  async apiKeyCredential(key: string): Promise<{ principal: Principal; keyId: string } | undefined> {
    const holder = await useApiKey(this.db, key);
    return holder ? { principal: { userId: holder.userId, email: holder.email, role: holder.role }, keyId: holder.keyId } : undefined;
  }

  async countAdmins(client: Queryable = this.db): Promise<number> {
    return countActiveAdmins(client);
  }
}
