import type { Database } from '../db/Database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

export interface Group {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  /** Set when the identity provider manages the group's members ('oidc' groups claim, 'scim'); they cannot be edited here. */
  managedBy: 'oidc' | 'scim' | null;
  members: { id: string; email: string }[];
  /** Collections granted to the group, with the permission. */
  grants: { collection: string; permission: 'read' | 'edit' }[];
}

/** Groups of users, the unit collections are granted to. `everyone` is built in and holds every user. */
export class GroupService {
  constructor(private readonly db: Database) {}

  async list(): Promise<Group[]> {
    const { rows } = await this.db.query<Group>(
      `SELECT g.id, g.name, g.description, g.is_builtin AS builtin, g.managed_by AS "managedBy",
              coalesce((SELECT json_agg(json_build_object('id', u.id, 'email', u.email) ORDER BY lower(u.email))
                          FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id), '[]') AS members,
              coalesce((SELECT json_agg(json_build_object('collection', c.slug, 'permission', cg.permission) ORDER BY c.slug)
                          FROM collection_grants cg JOIN collections c ON c.id = cg.collection_id WHERE cg.group_id = g.id), '[]') AS grants
         FROM groups g ORDER BY g.is_builtin DESC, lower(g.name)`,
    );
    return rows;
  }

  async create(input: { name: string; description?: string }): Promise<{ id: string; name: string }> {
    const { rows } = await this.db.query<{ id: string; name: string }>(
      `INSERT INTO groups (name, description) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name`,
      [input.name, input.description ?? ''],
    );
    if (!rows[0]) throw new ConflictError(`A group named "${input.name}" already exists.`);
    return rows[0];
  }

  async delete(id: string): Promise<void> {
    const group = await this.find(id);
    if (group.is_builtin) throw new ValidationError(`The built-in group "${group.name}" cannot be deleted.`);
    assertNotManaged(group);
    await this.db.query('DELETE FROM groups WHERE id = $1', [group.id]);
  }

  async addMember(groupId: string, email: string): Promise<void> {
    const group = await this.find(groupId);
    assertNotManaged(group);
    const { rowCount } = await this.db.query(
      `INSERT INTO memberships (group_id, user_id) SELECT $1, id FROM users WHERE lower(email) = lower($2) ON CONFLICT DO NOTHING`,
      [group.id, email],
    );
    if (!rowCount && !(await this.db.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email])).rowCount) {
      throw new NotFoundError(`User ${email}`);
    }
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    const group = await this.find(groupId);
    if (group.is_builtin) throw new ValidationError(`Every user belongs to "${group.name}"; nobody can be removed from it.`);
    assertNotManaged(group);
    const { rowCount } = await this.db.query('DELETE FROM memberships WHERE group_id = $1 AND user_id::text = $2', [group.id, userId]);
    if (!rowCount) throw new NotFoundError(`Member ${userId} of group "${group.name}"`);
  }

  private async find(id: string): Promise<GroupRow> {
    const { rows } = await this.db.query<GroupRow>('SELECT id, name, is_builtin, managed_by FROM groups WHERE id::text = $1', [id]);
    if (!rows[0]) throw new NotFoundError(`Group ${id}`);
    return rows[0];
  }
}

interface GroupRow {
  id: string;
  name: string;
  is_builtin: boolean;
  managed_by: string | null;
}

function assertNotManaged(group: GroupRow): void {
  if (group.managed_by)
    throw new ValidationError(`The group "${group.name}" is managed by the identity provider; change its members there.`);
}
