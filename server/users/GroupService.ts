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

  async list(): Promise<Group[]> {
    return listGroups(this.db);
  }

  async create(input: { name: string; description?: string }): Promise<{ id: string; name: string }> {
    const group = await insertGroup(this.db, { name: input.name, description: input.description ?? '' });
    if (!group) throw new ConflictError(`A group named "${input.name}" already exists.`);
    return group;
  }

  async delete(id: string): Promise<void> {
    const group = await this.find(id);
    if (group.builtin) throw new ValidationError(`The built-in group "${group.name}" cannot be deleted.`);
    assertNotManaged(group);
    await deleteGroup(this.db, group.id);
  }

  async addMember(groupId: string, email: string): Promise<void> {
    const group = await this.find(groupId);
    assertNotManaged(group);
    if (!(await addMemberByEmail(this.db, group.id, email)) && !(await findUserByEmail(this.db, email))) {
      throw new NotFoundError(`User ${email}`);
    }
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
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
