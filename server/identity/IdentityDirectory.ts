import type { Database, Queryable } from '../db/Database.ts';
import type { Logger } from '../logging/logger.ts';
import { addManagedMemberships, removeManagedMembershipsExcept, upsertManagedGroups } from '../users/groupRepository.ts';
import {
  countActiveAdmins,
  findUserByEmail,
  findUserByOidcSubject,
  insertUser,
  linkOidcIdentity,
  lockAdminChanges,
  updateUser,
  type User,
} from '../users/userRepository.ts';
import type { OidcIdentity } from './oidc/OidcClient.ts';

export type GroupManager = 'oidc' | 'scim';

/**
 * Users and groups as the identity provider describes them: linking an SSO account to its
 * Tapeout user, and keeping provider-managed group memberships equal to what the provider says.
 * Hand-made groups are never touched here; provider-managed groups are never edited by hand.
 */
export class IdentityDirectory {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  /**
   * The user for an SSO identity: found by the provider's subject, else by (verified) email and
   * then linked to the subject, else created as a member. Name and email follow the provider.
   */
  async upsertOidcUser(identity: OidcIdentity & { email: string }, client: Queryable): Promise<{ user: User; created: boolean }> {
    const linked =
      (await findUserByOidcSubject(client, identity.issuer, identity.subject)) ??
      (await findUserByEmail(client, identity.email, { lock: true }));
    if (linked) {
      await linkOidcIdentity(client, linked.id, identity);
      // An empty name from the provider keeps the stored one.
      const user = await updateUser(client, linked.id, { email: identity.email, name: identity.name || undefined });
      return { user, created: false };
    }
    const user = await insertUser(client, { email: identity.email, name: identity.name, role: 'member', oidc: identity });
    return { user, created: true };
  }

  /**
   * Makes the user's memberships of groups managed by `manager` exactly `names`: groups seen for
   * the first time are created as managed; a hand-made group of the same name is taken over
   * (its members then come from the provider). The built-in `everyone` is never touched.
   * Returns the names added and removed.
   */
  async replaceManagedMemberships(
    userId: string,
    names: string[],
    manager: GroupManager,
    client: Queryable,
  ): Promise<{ added: string[]; removed: string[] }> {
    if (names.length) await upsertManagedGroups(client, names, manager);
    const removed = await removeManagedMembershipsExcept(client, userId, names, manager);
    const added = await addManagedMemberships(client, userId, names);
    return { added, removed };
  }

  /**
   * The role that membership of the admin group implies. The last active admin is never demoted
   * by the provider (the instance would have nobody to manage it); that is logged instead.
   */
  async applyAdminGroup(user: User, isAdmin: boolean, client: Queryable): Promise<User['role']> {
    const role: User['role'] = isAdmin ? 'admin' : 'member';
    if (role === user.role) return role;
    await lockAdminChanges(client);
    if (role === 'member') {
      if ((await countActiveAdmins(client)) <= 1) {
        this.logger.warn({ userId: user.id }, 'the identity provider no longer lists the only admin in the admin group; the role is kept');
        return user.role;
      }
    }
    await updateUser(client, user.id, { role });
    // Browser sessions carry no role (it is read per request); ending them is not needed.
    return role;
  }
}
