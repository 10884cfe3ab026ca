import { scimPatch, ScimError as PatchError, type ScimPatchOperation } from 'scim-patch';
import type { AuditLog } from '../../audit/AuditLog.ts';
import type { Database, Queryable } from '../../db/Database.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { deleteGroup, insertScimGroup, replaceMembers, updateScimGroup } from '../../users/groupRepository.ts';
import type { UserService } from '../../users/UserService.ts';
import { existingUserIds, findUser, insertUser, updateUser } from '../../users/userRepository.ts';
import type { IdentityDirectory } from '../IdentityDirectory.ts';
import { compileFilter, type CompiledFilter } from './scimFilter.ts';
import {
  groupInput,
  groupResource,
  listResponse,
  patchRequest,
  ScimError,
  userInput,
  userResource,
  type GroupInput,
  type GroupRow,
  type UserInput,
  type UserRow,
} from './scimResources.ts';

const userSelect = `SELECT u.id, u.email, u.name, u.active, u.external_id, u.created_at, u.updated_at,
       coalesce((SELECT json_agg(json_build_object('value', g.id, 'display', g.name) ORDER BY g.name)
                   FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id AND NOT g.is_builtin), '[]') AS groups
  FROM users u`;
const groupSelect = (withMembers: boolean) => `SELECT g.id, g.name, g.external_id, g.created_at,
       ${withMembers ? `(SELECT coalesce(json_agg(json_build_object('value', u.id, 'display', u.email) ORDER BY lower(u.email)), '[]') FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id)` : 'NULL'} AS members
  FROM groups g`;
/** Beyond the indexed filters (userName, externalId, displayName eq), filters are applied to at most this many resources. */
const inMemoryFilterLimit = 10_000;

export interface ListQuery {
  filter: string | undefined;
  startIndex: number;
  count: number;
  excludeMembers?: boolean;
}

/** Who did it, for the audit trail: the provider's connector, from an address. */
export interface ScimActor {
  ip: string | undefined;
}

/**
 * SCIM 2.0 (RFC 7643/7644) provisioning of users and groups, as Okta and Entra ID send it.
 * Deactivating or deleting a user ends their access at once (UserService.setActive / remove);
 * a provisioned group is managed by the provider, so its members cannot be edited by hand.
 * PATCH operations are applied by scim-patch to the resource as SCIM shows it, and the result
 * is stored; attributes Tapeout does not keep are accepted and ignored.
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

  async listUsers(query: ListQuery, baseUrl: string) {
    const rows = await this.list<UserRow>(userSelect, 'u', compileFilter(query.filter, 'User'), query);
    return listResponse(
      rows.page.map((row) => userResource(row, baseUrl)),
      rows.total,
      query.startIndex,
    );
  }

  async getUser(id: string, baseUrl: string) {
    return userResource(await this.userRow(id), baseUrl);
  }

  async createUser(body: unknown, actor: ScimActor, baseUrl: string) {
    const input = parse(userInput, body);
    const id = await this.deps.db.transaction(async (client) => {
      const user = await uniquely(() =>
        insertUser(client, { email: input.email, name: input.name, role: 'member', externalId: input.externalId, active: input.active }),
      );
      return user.id;
    });
    await this.audit('scim.user_created', actor, id, { email: input.email, active: input.active });
    return userResource(await this.userRow(id), baseUrl);
  }

  async replaceUser(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    await this.storeUser(id, parse(userInput, body), actor);
    return this.getUser(id, baseUrl);
  }

  async patchUser(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    const patched = applyPatch(userResource(await this.userRow(id), baseUrl), body);
    await this.storeUser(id, parse(userInput, patched), actor);
    return this.getUser(id, baseUrl);
  }

  async deleteUser(id: string, actor: ScimActor): Promise<void> {
    const row = await this.userRow(id);
    await this.deps.users.remove(row.id, null).catch(toScimError);
    await this.audit('scim.user_deleted', actor, row.id, { email: row.email });
  }

  async listGroups(query: ListQuery, baseUrl: string) {
    const rows = await this.list<GroupRow>(groupSelect(!query.excludeMembers), 'g', compileFilter(query.filter, 'Group'), query);
    return listResponse(
      rows.page.map((row) => groupResource(row, baseUrl)),
      rows.total,
      query.startIndex,
    );
  }

  async getGroup(id: string, baseUrl: string, excludeMembers = false) {
    return groupResource(await this.groupRow(id, !excludeMembers), baseUrl);
  }

  /** A hand-made group of the same name is adopted (its members then come from the provider). */
  async createGroup(body: unknown, actor: ScimActor, baseUrl: string) {
    const input = parse(groupInput, body);
    const id = await this.deps.db.transaction(async (client) => {
      const groupId = await uniquely(() => insertScimGroup(client, { name: input.name, externalId: input.externalId }));
      if (!groupId) throw new ScimError(409, `A group named "${input.name}" already exists.`, 'uniqueness');
      await this.setMembers(client, groupId, input.name, input.memberIds ?? []);
      return groupId;
    });
    await this.audit('scim.group_created', actor, id, { name: input.name, members: input.memberIds?.length ?? 0 });
    return this.getGroup(id, baseUrl);
  }

  async replaceGroup(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    await this.storeGroup(id, parse(groupInput, body), actor);
    return this.getGroup(id, baseUrl);
  }

  async patchGroup(id: string, body: unknown, actor: ScimActor, baseUrl: string) {
    const current = groupResource(await this.groupRow(id, true), baseUrl);
    const patched = applyPatch({ ...current, members: current.members ?? [] }, body);
    // scim-patch drops an attribute whose last value was removed: no members left means none.
    await this.storeGroup(id, parse(groupInput, Object.assign({ members: [] }, patched)), actor);
    return this.getGroup(id, baseUrl);
  }

  async deleteGroup(id: string, actor: ScimActor): Promise<void> {
    const row = await this.groupRow(id, false);
    await deleteGroup(this.deps.db, row.id);
    await this.audit('scim.group_deleted', actor, row.id, { name: row.name });
  }

  private async storeUser(id: string, input: UserInput, actor: ScimActor): Promise<void> {
    const before = await this.userRow(id);
    await this.deps.db.transaction(async (client) => {
      await uniquely(() => updateUser(client, before.id, { email: input.email, name: input.name, externalId: input.externalId }));
      if (input.active !== before.active) await this.deps.users.setActive(before.id, input.active, client).catch(toScimError);
    });
    const changes = Object.fromEntries(
      (
        [
          ['email', before.email, input.email],
          ['name', before.name, input.name],
          ['active', before.active, input.active],
        ] as const
      )
        .filter(([, from, to]) => from !== to)
        .map(([key, from, to]) => [key, { from, to }]),
    );
    await this.audit(
      input.active === before.active ? 'scim.user_updated' : input.active ? 'scim.user_activated' : 'scim.user_deactivated',
      actor,
      before.id,
      { email: input.email, changes },
    );
  }

  private async storeGroup(id: string, input: GroupInput, actor: ScimActor): Promise<void> {
    const before = await this.groupRow(id, false);
    const changes = await this.deps.db.transaction(async (client) => {
      await uniquely(() => updateScimGroup(client, before.id, { name: input.name, externalId: input.externalId }));
      return input.memberIds ? this.setMembers(client, before.id, input.name, input.memberIds) : { added: [], removed: [] };
    });
    await this.audit('scim.group_updated', actor, before.id, {
      name: input.name,
      ...(before.name !== input.name ? { renamedFrom: before.name } : {}),
      membersAdded: changes.added,
      membersRemoved: changes.removed,
    });
  }

  /** Makes the group's members exactly `userIds`; membership of the admin group sets the role. */
  private async setMembers(
    client: Queryable,
    groupId: string,
    groupName: string,
    userIds: string[],
  ): Promise<{ added: string[]; removed: string[] }> {
    const ids = [...new Set(userIds)];
    const known = await existingUserIds(client, ids);
    const missing = ids.filter((id) => !known.includes(id));
    if (missing.length) throw new ScimError(400, `No user with id ${missing.slice(0, 5).join(', ')}.`, 'invalidValue');
    const { added, removed } = await replaceMembers(client, groupId, ids);
    if (groupName === this.deps.adminGroup) {
      for (const [rows, isAdmin] of [
        [added, true],
        [removed, false],
      ] as const) {
        for (const userId of rows) {
          const user = await findUser(client, userId);
          if (user) await this.deps.directory.applyAdminGroup(user, isAdmin, client);
        }
      }
    }
    return { added, removed };
  }

  private async list<T extends UserRow | GroupRow>(
    select: string,
    alias: 'u' | 'g',
    filter: CompiledFilter,
    query: ListQuery,
  ): Promise<{ page: T[]; total: number }> {
    const conditions = [alias === 'g' ? 'NOT g.is_builtin' : 'true'];
    const values: unknown[] = [];
    if (filter.kind === 'indexed') {
      values.push(filter.value);
      conditions.push(filter.sql(alias, `$${values.length}`));
    }
    const order = `ORDER BY ${alias}.created_at, ${alias}.id`;
    if (filter.kind === 'memory') {
      const { rows } = await this.deps.db.query<T>(`${select} WHERE ${conditions.join(' AND ')} ${order} LIMIT ${inMemoryFilterLimit}`);
      const matching = rows.filter((row) =>
        filter.matches(alias === 'u' ? userResource(row as UserRow, '') : groupResource(row as GroupRow, '')),
      );
      return { page: matching.slice(query.startIndex - 1, query.startIndex - 1 + query.count), total: matching.length };
    }
    values.push(query.count, query.startIndex - 1);
    const { rows } = await this.deps.db.query<T & { total: string }>(
      `SELECT *, count(*) OVER () AS total FROM (${select} WHERE ${conditions.join(' AND ')}) AS r ORDER BY r.created_at, r.id LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    const total = rows[0] ? Number(rows[0].total) : await this.count(alias, conditions, values.slice(0, -2));
    return { page: rows, total };
  }

  private async count(alias: 'u' | 'g', conditions: string[], values: unknown[]): Promise<number> {
    const { rows } = await this.deps.db.query<{ count: string }>(
      `SELECT count(*) FROM ${alias === 'u' ? 'users u' : 'groups g'} WHERE ${conditions.join(' AND ')}`,
      values,
    );
    return Number(rows[0]!.count);
  }

  private async userRow(id: string): Promise<UserRow> {
    const { rows } = await this.deps.db.query<UserRow>(`${userSelect} WHERE u.id::text = $1`, [id]);
    if (!rows[0]) throw new ScimError(404, `User ${id} not found.`);
    return rows[0];
  }

  private async groupRow(id: string, withMembers: boolean): Promise<GroupRow> {
    const { rows } = await this.deps.db.query<GroupRow>(`${groupSelect(withMembers)} WHERE g.id::text = $1 AND NOT g.is_builtin`, [id]);
    if (!rows[0]) throw new ScimError(404, `Group ${id} not found.`);
    return rows[0];
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

function parse<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  body: unknown,
): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ScimError(400, `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`, 'invalidValue');
}

function applyPatch<T extends { schemas: string[]; meta: Record<string, string> }>(resource: T, body: unknown): T {
  const request = parse(patchRequest, body);
  try {
    return scimPatch(resource as never, request.Operations.flatMap(memberRemovalsByFilter) as ScimPatchOperation[], {
      mutateDocument: false,
      treatMissingAsAdd: true,
    }) as T;
  } catch (error) {
    if (error instanceof PatchError) throw new ScimError(400, error.message, error.scimCode === 'noTarget' ? 'noTarget' : 'invalidPath');
    throw error;
  }
}

/**
 * Entra ID removes members as `{op: "Remove", path: "members", value: [{value: id}]}`; scim-patch
 * compares such values whole (our members carry a display name too), so each becomes the
 * equivalent `members[value eq "id"]` removal, as Okta sends it.
 */
function memberRemovalsByFilter(operation: { op: string; path?: string; value?: unknown }): object[] {
  if (operation.op.toLowerCase() !== 'remove' || operation.path?.toLowerCase() !== 'members' || !Array.isArray(operation.value))
    return [operation];
  return operation.value.map((member: { value?: unknown }) => {
    if (typeof member?.value !== 'string' || member.value.includes('"'))
      throw new ScimError(400, 'Each member to remove needs a value (a user id).', 'invalidValue');
    return { op: 'remove', path: `members[value eq "${member.value}"]` };
  });
}

/** A unique violation (email or name taken) is SCIM's 409 uniqueness. */
async function uniquely<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new ScimError(409, `Already exists: ${(error as { detail?: string }).detail ?? 'a resource with these values'}.`, 'uniqueness');
    throw error;
  }
}

function toScimError(error: unknown): never {
  if (error instanceof ValidationError) throw new ScimError(400, error.message, 'mutability');
  if (error instanceof NotFoundError) throw new ScimError(404, error.message);
  throw error;
}
