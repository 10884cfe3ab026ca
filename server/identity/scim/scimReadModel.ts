import type { Queryable } from '../../db/Database.ts';
import { compileFilter } from './scimFilter.ts';
import { ScimError } from './ScimError.ts';
import { groupResource, userResource, type GroupRow, type UserRow } from './scimResources.ts';

/**
 * SCIM's reads of users, groups and memberships: one user with their groups, one group with its
 * members, and filtered pages of either.
 */

const userSelect = `SELECT u.id, u.email, u.name, u.active, u.external_id, u.user_name, u.scim_profile, u.created_at, u.updated_at,
       coalesce((SELECT json_agg(json_build_object('value', g.id, 'display', g.name) ORDER BY g.name)
                   FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id AND NOT g.is_builtin), '[]') AS groups
  FROM users u`;
const groupSelect = (withMembers: boolean) => `SELECT g.id, g.name, g.external_id, g.created_at, g.updated_at,
       ${withMembers ? `(SELECT coalesce(json_agg(json_build_object('value', u.id, 'display', u.email) ORDER BY lower(u.email)), '[]') FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id)` : 'NULL'} AS members
  FROM groups g`;
/** Beyond the indexed filters (userName, emails.value, externalId, displayName, id eq), filters are applied to at most this many resources. */
const inMemoryFilterLimit = 10_000;

export interface Page {
  filter: string | undefined;
  startIndex: number;
  count: number;
}

export async function findUserRow(db: Queryable, id: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(`${userSelect} WHERE u.id::text = $1`, [id]);
  if (!rows[0]) throw new ScimError(404, `User ${id} not found.`);
  return rows[0];
}

export async function findGroupRow(db: Queryable, id: string, withMembers: boolean): Promise<GroupRow> {
  const { rows } = await db.query<GroupRow>(`${groupSelect(withMembers)} WHERE g.id::text = $1 AND NOT g.is_builtin`, [id]);
  if (!rows[0]) throw new ScimError(404, `Group ${id} not found.`);
  return rows[0];
}

export function listUserRows(db: Queryable, page: Page) {
  return listRows<UserRow>(db, userSelect, 'u', page);
}

export function listGroupRows(db: Queryable, page: Page, withMembers: boolean) {
  return listRows<GroupRow>(db, groupSelect(withMembers), 'g', page);
}

async function listRows<T extends UserRow | GroupRow>(
  db: Queryable,
  select: string,
  alias: 'u' | 'g',
  page: Page,
): Promise<{ rows: T[]; total: number }> {
  const filter = compileFilter(page.filter, alias === 'u' ? 'User' : 'Group');
  const conditions = [alias === 'g' ? 'NOT g.is_builtin' : 'true'];
  const values: unknown[] = [];
  if (filter.kind === 'indexed') {
    values.push(filter.value);
    conditions.push(filter.sql(alias, `$${values.length}`));
  }
  const where = conditions.join(' AND ');
  if (filter.kind === 'memory') {
    const { rows } = await db.query<T>(`${select} WHERE ${where} ORDER BY ${alias}.created_at, ${alias}.id LIMIT ${inMemoryFilterLimit}`);
    const matching = rows.filter((row) =>
      filter.matches(alias === 'u' ? userResource(row as UserRow, '') : groupResource(row as GroupRow, '')),
    );
    return { rows: matching.slice(page.startIndex - 1, page.startIndex - 1 + page.count), total: matching.length };
  }
  const { rows: counted } = await db.query<{ count: string }>(
    `SELECT count(*) FROM ${alias === 'u' ? 'users u' : 'groups g'} WHERE ${where}`,
    values,
  );
  const total = Number(counted[0]!.count);
  if (page.count === 0 || page.startIndex > total) return { rows: [], total };
  values.push(page.count, page.startIndex - 1);
  const { rows } = await db.query<T>(
    `${select} WHERE ${where} ORDER BY ${alias}.created_at, ${alias}.id LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  return { rows, total };
}
