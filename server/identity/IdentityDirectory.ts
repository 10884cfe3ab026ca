import type { Database, Queryable } from '../db/Database.ts';
import type { Logger } from '../logging/logger.ts';
import { userColumns, type User } from '../users/UserService.ts';
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
    const bySubject = await client.query<User>(`SELECT ${userColumns} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR UPDATE`, [
      identity.issuer,
      identity.subject,
    ]);
    const linked =
      bySubject.rows[0] ??
      (await client.query<User>(`SELECT ${userColumns} FROM users WHERE lower(email) = lower($1) FOR UPDATE`, [identity.email])).rows[0];
    if (linked) {
      const { rows } = await client.query<User>(
        `UPDATE users SET oidc_issuer = $2, oidc_subject = $3, email = $4, name = CASE WHEN $5 = '' THEN name ELSE $5 END, updated_at = now()
          WHERE id = $1 RETURNING ${userColumns}`,
        [linked.id, identity.issuer, identity.subject, identity.email, identity.name],
      );
      return { user: rows[0]!, created: false };
    }
    const { rows } = await client.query<User>(
      `INSERT INTO users (email, name, role, oidc_issuer, oidc_subject) VALUES ($1, $2, 'member', $3, $4) RETURNING ${userColumns}`,
      [identity.email, identity.name, identity.issuer, identity.subject],
    );
    return { user: rows[0]!, created: true };
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
    if (names.length) {
      await client.query(
        `INSERT INTO groups (name, description, managed_by) SELECT n, 'Managed by the identity provider', $2 FROM unnest($1::text[]) AS n
         ON CONFLICT (name) DO UPDATE SET managed_by = coalesce(groups.managed_by, EXCLUDED.managed_by) WHERE NOT groups.is_builtin`,
        [names, manager],
      );
    }
    const { rows: removed } = await client.query<{ name: string }>(
      `DELETE FROM memberships m USING groups g
        WHERE m.group_id = g.id AND m.user_id = $1 AND g.managed_by = $3 AND NOT g.is_builtin AND NOT (g.name = ANY($2::text[]))
       RETURNING g.name`,
      [userId, names, manager],
    );
    const { rows: added } = await client.query<{ name: string }>(
      `INSERT INTO memberships (group_id, user_id) SELECT g.id, $1 FROM groups g WHERE g.name = ANY($2::text[]) AND NOT g.is_builtin
       ON CONFLICT DO NOTHING RETURNING (SELECT name FROM groups WHERE id = group_id)`,
      [userId, names],
    );
    return { added: added.map((row) => row.name), removed: removed.map((row) => row.name) };
  }

  /**
   * The role that membership of the admin group implies. The last active admin is never demoted
   * by the provider (the instance would have nobody to manage it); that is logged instead.
   */
  async applyAdminGroup(user: User, isAdmin: boolean, client: Queryable): Promise<User['role']> {
    const role: User['role'] = isAdmin ? 'admin' : 'member';
    if (role === user.role) return role;
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tapeout:admins']);
    if (role === 'member') {
      const { rows } = await client.query<{ count: string }>(`SELECT count(*) FROM users WHERE role = 'admin' AND active`);
      if (Number(rows[0]!.count) <= 1) {
        this.logger.warn({ userId: user.id }, 'the identity provider no longer lists the only admin in the admin group; the role is kept');
        return user.role;
      }
    }
    await client.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [user.id, role]);
    // Browser sessions carry no role (it is read per request); ending them is not needed.
    return role;
  }
}
