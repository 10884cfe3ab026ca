import type { Principal } from '../auth/Principal.ts';
import { requireAdmin } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import {
  addMemberByEmail,
  deleteGroup,
  findGroup,
  insertGroup,
  listGroups,
  removeMember,
  type Group,
  type GroupRow,
} from './groupRepository.ts';
import { findUserByEmail } from './userRepository.ts';

export type { Group };

/** Groups of users, the unit collections are granted to. `everyone` is built in and holds every user. */
export class GroupService {
  constructor(private readonly db: Database) {}

  async list(principal: Principal): Promise<Group[]> {
    requireAdmin(principal, 'list groups');
    return listGroups(this.db);
  }

  async create(principal: Principal, input: { name: string; description?: string }): Promise<{ id: string; name: string }> {
    requireAdmin(principal, 'create groups');
    const group = await insertGroup(this.db, { name: input.name, description: input.description ?? '' });
    if (!group) throw new ConflictError(`A group named "${input.name}" already exists.`);
    return group;
  }

  async delete(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal, 'delete groups');
    const group = await this.find(id);
    if (group.builtin) throw new ValidationError(`The built-in group "${group.name}" cannot be deleted.`);
    assertNotManaged(group);
    await deleteGroup(this.db, group.id);
  }

  async addMember(principal: Principal, groupId: string, email: string): Promise<void> {
    requireAdmin(principal, 'change group members');
    const group = await this.find(groupId);
    assertNotManaged(group);
    if (!(await addMemberByEmail(this.db, group.id, email)) && !(await findUserByEmail(this.db, email))) {
      throw new NotFoundError(`User ${email}`);
    }
  }

  async removeMember(principal: Principal, groupId: string, userId: string): Promise<void> {
    requireAdmin(principal, 'change group members');
    const group = await this.find(groupId);
    if (group.builtin) throw new ValidationError(`Every user belongs to "${group.name}"; nobody can be removed from it.`);
    assertNotManaged(group);
    if (!(await removeMember(this.db, group.id, userId))) throw new NotFoundError(`Member ${userId} of group "${group.name}"`);
  }

  private async find(id: string): Promise<GroupRow> {
    const group = await findGroup(this.db, id);
    if (!group) throw new NotFoundError(`Group ${id}`);
    return group;
  }
}

function assertNotManaged(group: GroupRow): void {
  if (group.managedBy)
    throw new ValidationError(`The group "${group.name}" is managed by the identity provider; change its members there.`);
}
