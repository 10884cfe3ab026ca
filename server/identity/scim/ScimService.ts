import type { AuditLog } from '../../audit/AuditLog.ts';
import { hashPassword, minPasswordLength } from '../../auth/passwords.ts';
import type { Database, Queryable } from '../../db/Database.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { deleteGroup, insertScimGroup, replaceMembers, updateScimGroup } from '../../users/groupRepository.ts';
import type { UserService } from '../../users/UserService.ts';
import { existingUserIds, findUser, insertScimUser, setPasswordHash, updateScimUser } from '../../users/userRepository.ts';
import type { IdentityDirectory } from '../IdentityDirectory.ts';
import { applyPatchRequest } from './applyPatchRequest.ts';
import type { ResourceKind } from './scimAttributes.ts';
import { canonicalResource } from './scimCanonical.ts';
import { ScimError } from './ScimError.ts';
import type { ListRequest } from './scimListRequest.ts';
import { parseProjection, project, shows } from './scimProjection.ts';
import { findGroupRow, findUserRow, listGroupRows, listUserRows } from './scimReadModel.ts';
import { groupResource, listResponse, storedGroup, storedUser, userResource, type StoredGroup, type StoredUser } from './scimResources.ts';
import { systemActor } from '../../access/systemActor.ts';

/** Who did it, for the audit trail: the provider's connector, from an address. */
export interface ScimActor {
  ip: string | undefined;
}

/** Which attributes a single resource's answer carries. */
export type ProjectionRequest = Pick<ListRequest, 'attributes' | 'excludedAttributes'>;

/**
 * SCIM 2.0 (RFC 7643/7644) provisioning of users and groups, as Okta and Entra ID send it.
 * Every attribute the schemas list is stored and returned; a request that would change anything
 * else is refused whole. Deactivating or deleting a user ends their access at once
 * (UserService.setActive / remove); a provisioned group's members are managed by the provider.
 */
export class ScimService {
  constructor(
    private readonly deps: {
      db: Database;
      users: UserService;
      directory: IdentityDirectory;
      audit: AuditLog;
      adminGroup: string | undefined;
    },
  ) {}

  async listUsers(request: ListRequest, baseUrl: string) {
    const projection = parseProjection('User', request.attributes, request.excludedAttributes);
    const { rows, total } = await listUserRows(this.deps.db, request);
    return listResponse(
      rows.map((row) => project(userResource(row, baseUrl), projection)),
      total,
      request.startIndex,
    );
  }

  async getUser(id: string, baseUrl: string, request: ProjectionRequest = noProjection) {
    const projection = parseProjection('User', request.attributes, request.excludedAttributes);
    return project(userResource(await findUserRow(this.deps.db, id), baseUrl), projection);
  }

  async createUser(body: unknown, actor: ScimActor, baseUrl: string) {
    const user = storedUser(canonicalResource('User', body));
    const passwordHash = user.password === undefined ? null : await this.hashed(user.password);
    const id = await this.deps.db.transaction(async (client) => {
      const created = await uniquely(() => insertScimUser(client, { ...user, passwordHash }));
      return created.id;
    });
    await this.audit('scim.user_created', actor, id, { email: user.email, userName: user.userName, active: user.active });
    return this.getUser(id, baseUrl);
  }

  async replaceUser(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    await this.storeUser(id, storedUser(canonicalResource('User', body)), actor);
    return this.getUser(id, baseUrl);
  }

  async patchUser(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    const patched = applyPatchRequest('User', userResource(await findUserRow(this.deps.db, id), baseUrl), body);
    await this.storeUser(id, storedUser(canonicalResource('User', patched)), actor);
    return this.getUser(id, baseUrl);
  }

  async deleteUser(id: string, actor: ScimActor): Promise<void> {
    const row = await findUserRow(this.deps.db, id);
    await this.deps.users.remove(systemActor, row.id).catch(toScimError);
    await this.audit('scim.user_deleted', actor, row.id, { email: row.email });
  }

  async listGroups(request: ListRequest, baseUrl: string) {
    const projection = parseProjection('Group', request.attributes, request.excludedAttributes);
    const { rows, total } = await listGroupRows(this.deps.db, request, shows(projection, 'members'));
    return listResponse(
      rows.map((row) => project(groupResource(row, baseUrl), projection)),
      total,
      request.startIndex,
    );
  }

  async getGroup(id: string, baseUrl: string, request: ProjectionRequest = noProjection) {
    const projection = parseProjection('Group', request.attributes, request.excludedAttributes);
    return project(groupResource(await findGroupRow(this.deps.db, id, shows(projection, 'members')), baseUrl), projection);
  }

  /** POST /.search: users, then groups, as one list. */
  async searchAll(request: ListRequest, baseUrl: string) {
    const users = await this.listUsers({ ...request, ...projectionFor('User', request) }, baseUrl);
    const groupStart = Math.max(1, request.startIndex - users.totalResults);
    const groups = await this.listGroups(
      { ...request, ...projectionFor('Group', request), startIndex: groupStart, count: request.count - users.Resources.length },
      baseUrl,
    );
    return listResponse([...users.Resources, ...groups.Resources], users.totalResults + groups.totalResults, request.startIndex);
  }

  /** A hand-made group of the same name is adopted (its members then come from the provider). */
  async createGroup(body: unknown, actor: ScimActor, baseUrl: string) {
    const group = storedGroup(canonicalResource('Group', body));
    const id = await this.deps.db.transaction(async (client) => {
      const groupId = await uniquely(() => insertScimGroup(client, group));
      if (!groupId) throw new ScimError(409, `A group named "${group.name}" already exists.`, 'uniqueness');
      await this.setMembers(client, groupId, group.name, group.memberIds);
      return groupId;
    });
    await this.audit('scim.group_created', actor, id, { name: group.name, members: group.memberIds.length });
    return this.getGroup(id, baseUrl);
  }

  async replaceGroup(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    await this.storeGroup(id, storedGroup(canonicalResource('Group', body)), actor);
    return this.getGroup(id, baseUrl);
  }

  async patchGroup(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    const patched = applyPatchRequest('Group', groupResource(await findGroupRow(this.deps.db, id, true), baseUrl), body);
    await this.storeGroup(id, storedGroup(canonicalResource('Group', patched)), actor);
    return this.getGroup(id, baseUrl);
  }

  async deleteGroup(id: string, actor: ScimActor): Promise<void> {
    const row = await findGroupRow(this.deps.db, id, false);
    await deleteGroup(this.deps.db, row.id);
    await this.audit('scim.group_deleted', actor, row.id, { name: row.name });
  }

  private async storeUser(id: string, user: StoredUser, actor: ScimActor): Promise<void> {
    const before = await findUserRow(this.deps.db, id);
    const passwordHash = user.password === undefined ? undefined : await this.hashed(user.password);
    await this.deps.db.transaction(async (client) => {
      await uniquely(() => updateScimUser(client, before.id, user));
      if (passwordHash) {
        await setPasswordHash(client, before.id, passwordHash);
        await this.deps.users.endSessions(systemActor, before.id, client);
      }
      if (user.active !== before.active) await this.deps.users.setActive(systemActor, before.id, user.active, client).catch(toScimError);
    });
    const compared = [
      ['email', before.email, user.email],
      ['userName', before.user_name ?? before.email, user.userName],
      ['name', before.name, user.name],
      ['active', before.active, user.active],
    ] as const;
    const changes = Object.fromEntries(compared.filter(([, from, to]) => from !== to).map(([key, from, to]) => [key, { from, to }]));
    await this.audit(
      user.active === before.active ? 'scim.user_updated' : user.active ? 'scim.user_activated' : 'scim.user_deactivated',
      actor,
      before.id,
      { email: user.email, changes, ...(passwordHash ? { passwordChanged: true } : {}) },
    );
  }

  private async storeGroup(id: string, group: StoredGroup, actor: ScimActor): Promise<void> {
    const before = await findGroupRow(this.deps.db, id, false);
    const changes = await this.deps.db.transaction(async (client) => {
      await uniquely(() => updateScimGroup(client, before.id, group));
      return this.setMembers(client, before.id, group.name, group.memberIds);
    });
    await this.audit('scim.group_updated', actor, before.id, {
      name: group.name,
      ...(before.name !== group.name ? { renamedFrom: before.name } : {}),
      membersAdded: changes.added,
      membersRemoved: changes.removed,
    });
  }

  /** Makes the group's members exactly `userIds`; membership of the admin group sets the role. */
  private async setMembers(client: Queryable, groupId: string, groupName: string, userIds: string[]) {
    const ids = [...new Set(userIds)];
    const known = new Set(await existingUserIds(client, ids));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) throw new ScimError(400, `No user with id ${missing.slice(0, 5).join(', ')}.`, 'invalidValue');
    const { added, removed } = await replaceMembers(client, groupId, ids);
    if (groupName === this.deps.adminGroup) {
      for (const [userIdsChanged, isAdmin] of [
        [added, true],
        [removed, false],
      ] as const) {
        for (const userId of userIdsChanged) {
          const user = await findUser(client, userId);
          if (user) await this.deps.directory.applyAdminGroup(user, isAdmin, client);
        }
      }
    }
    return { added, removed };
  }

  /** A password the identity provider sets follows the same rule as one set in Tapeout. */
  private async hashed(password: string): Promise<string> {
    if (password.length < minPasswordLength)
      throw new ScimError(400, `password must be at least ${minPasswordLength} characters.`, 'invalidValue');
    return hashPassword(password);
  }

  private async audit(action: string, actor: ScimActor, targetId: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({
      action,
      outcome: 'success',
      actorEmail: 'SCIM',
      ip: actor.ip,
      target: { type: action.startsWith('scim.user') ? 'user' : 'group', id: targetId },
      details,
    });
  }
}

const noProjection: ProjectionRequest = { attributes: undefined, excludedAttributes: undefined };

/** A root search names attributes of users or of groups: each kind gets the names it has. */
function projectionFor(kind: ResourceKind, request: ListRequest): ProjectionRequest {
  const resolves = (name: string, as: ResourceKind) => {
    try {
      parseProjection(as, [name], undefined);
      return true;
    } catch {
      return false;
    }
  };
  const names = (list: string[] | undefined) => {
    if (!list) return undefined;
    const unknown = list.find((name) => !resolves(name, 'User') && !resolves(name, 'Group'));
    if (unknown) parseProjection(kind, [unknown], undefined);
    return list.filter((name) => resolves(name, kind));
  };
  const attributes = names(request.attributes);
  // Asked only for the other kind's attributes, a resource shows its id.
  return { attributes: attributes && !attributes.length ? ['id'] : attributes, excludedAttributes: names(request.excludedAttributes) };
}

/** A unique violation (email, userName or group name taken) is SCIM's 409 uniqueness. */
async function uniquely<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new ScimError(
        409,
        `A resource with these values exists already (${(error as { detail?: string }).detail ?? 'a unique value is taken'}).`,
        'uniqueness',
      );
    throw error;
  }
}

function toScimError(error: unknown): never {
  if (error instanceof ValidationError) throw new ScimError(400, error.message, 'mutability');
  if (error instanceof NotFoundError) throw new ScimError(404, error.message);
  throw error;
}
