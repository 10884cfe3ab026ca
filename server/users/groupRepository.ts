import type { Queryable } from '../db/Database.ts';
import { isUuid } from '../db/uuid.ts';

/**
 * The SQL of `groups` and `memberships`: every write and the reads of groups by themselves.
 * SCIM's filtered lists are a read model. The built-in `everyone` holds every user through the
 * access functions, not through rows here, and no statement here changes it.
 */

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

export interface GroupRow {
  id: string;
  name: string;
  builtin: boolean;
  managedBy: 'oidc' | 'scim' | null;
}

export async function listGroups(db: Queryable): Promise<Group[]> {
  const { rows } = await db.query<Group>(
    `SELECT g.id, g.name, g.description, g.is_builtin AS builtin, g.managed_by AS "managedBy",
            coalesce((SELECT json_agg(json_build_object('id', u.id, 'email', u.email) ORDER BY lower(u.email))
                        FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id), '[]') AS members,
            coalesce((SELECT json_agg(json_build_object('collection', c.slug, 'permission', cg.permission) ORDER BY c.slug)
                        FROM collection_grants cg JOIN collections c ON c.id = cg.collection_id WHERE cg.group_id = g.id), '[]') AS grants
       FROM groups g ORDER BY g.is_builtin DESC, lower(g.name)`,
  );
  return rows;
}

/** By id as a client gives it (one that is not a UUID is not found). */
export async function findGroup(db: Queryable, id: string): Promise<GroupRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<GroupRow>('SELECT id, name, is_builtin AS builtin, managed_by AS "managedBy" FROM groups WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

/** A hand-made group; undefined when the name is taken. */
export async function insertGroup(
  db: Queryable,
  group: { name: string; description: string },
): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `INSERT INTO groups (name, description) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name`,
    [group.name, group.description],
  );
  return rows[0];
}

/**
 * A group SCIM provisions; a hand-made group of the same name (not built in, not provisioned
 * already) is adopted. Undefined when the name is taken otherwise.
 */
export async function insertScimGroup(db: Queryable, group: { name: string; externalId: string | null }): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO groups (name, description, managed_by, external_id) VALUES ($1, 'Provisioned by the identity provider', 'scim', $2)
     ON CONFLICT (name) DO UPDATE SET managed_by = 'scim', external_id = EXCLUDED.external_id, updated_at = now() WHERE NOT groups.is_builtin AND groups.external_id IS NULL
     RETURNING id`,
    [group.name, group.externalId],
  );
  return rows[0]?.id;
}

/** Stores what SCIM sent of a group (a null externalId clears it) and hands its members to SCIM. */
export async function updateScimGroup(db: Queryable, id: string, group: { name: string; externalId: string | null }): Promise<void> {
  await db.query(`UPDATE groups SET name = $2, external_id = $3, managed_by = 'scim', updated_at = now() WHERE id = $1`, [
    id,
    group.name,
    group.externalId,
  ]);
}

/** Deletes a group (never the built-in one); its grants and memberships go with it. */
export async function deleteGroup(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM groups WHERE id = $1 AND NOT is_builtin', [id]);
}

/** Adds the user with this email; false when there is no such user or they were a member already. */
export async function addMemberByEmail(db: Queryable, groupId: string, email: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO memberships (group_id, user_id) SELECT $1, id FROM users WHERE lower(email) = lower($2) ON CONFLICT DO NOTHING`,
    [groupId, email],
  );
  return Boolean(rowCount);
}

/** False when the user (by id as a client gives it) was not a member. */
export async function removeMember(db: Queryable, groupId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM memberships WHERE group_id = $1 AND user_id::text = $2', [groupId, userId]);
  return Boolean(rowCount);
}

/** Makes the group's members exactly these users; the ids added and removed. */
export async function replaceMembers(db: Queryable, groupId: string, userIds: string[]): Promise<{ added: string[]; removed: string[] }> {
  const { rows: removed } = await db.query<{ user_id: string }>(
    'DELETE FROM memberships WHERE group_id = $1 AND NOT (user_id::text = ANY($2::text[])) RETURNING user_id',
    [groupId, userIds],
  );
  const { rows: added } = await db.query<{ user_id: string }>(
    'INSERT INTO memberships (group_id, user_id) SELECT $1, u.id FROM users u WHERE u.id::text = ANY($2::text[]) ON CONFLICT DO NOTHING RETURNING user_id',
    [groupId, userIds],
  );
  return { added: added.map((row) => row.user_id), removed: removed.map((row) => row.user_id) };
}

/**
 * Groups by these names, managed by `manager`: created when new; a hand-made one of the same
 * name is taken over. The built-in group is never touched.
 */
export async function upsertManagedGroups(db: Queryable, names: string[], manager: 'oidc' | 'scim'): Promise<void> {
  await db.query(
    `INSERT INTO groups (name, description, managed_by) SELECT n, 'Managed by the identity provider', $2 FROM unnest($1::text[]) AS n
     ON CONFLICT (name) DO UPDATE SET managed_by = coalesce(groups.managed_by, EXCLUDED.managed_by) WHERE NOT groups.is_builtin`,
    [names, manager],
  );
}

/** Removes the user from groups `manager` manages other than `names`; the names of the groups left. */
export async function removeManagedMembershipsExcept(
  db: Queryable,
  userId: string,
  names: string[],
  manager: 'oidc' | 'scim',
): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `DELETE FROM memberships m USING groups g
      WHERE m.group_id = g.id AND m.user_id = $1 AND g.managed_by = $3 AND NOT g.is_builtin AND NOT (g.name = ANY($2::text[]))
     RETURNING g.name`,
    [userId, names, manager],
  );
  return rows.map((row) => row.name);
}

/** Adds the user to the (not built-in) groups by these names; the names of the groups joined. */
export async function addManagedMemberships(db: Queryable, userId: string, names: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `INSERT INTO memberships (group_id, user_id) SELECT g.id, $1 FROM groups g WHERE g.name = ANY($2::text[]) AND NOT g.is_builtin
     ON CONFLICT DO NOTHING RETURNING (SELECT name FROM groups WHERE id = group_id)`,
    [userId, names],
  );
  return rows.map((row) => row.name);
}
