import { SourceApiError, type SourceApi } from '../SourceApi.ts';
import type { CloudSearchPage, JiraIssue, JiraUser, OffsetSearchPage, PermissionHolder, RoleActor } from './jiraTypes.ts';

const pageSize = 100;

/**
 * Jira's REST API as the connector uses it: Cloud's v3 (the enhanced JQL search, paged by
 * `nextPageToken`) or Data Center's v2 (`/search`, paged by `startAt`); issues with their
 * rendered (HTML) description and comments; a project's permission scheme, its roles' actors
 * and, on Cloud, the members of an issue security level.
 */
export class JiraClient {
  private readonly rest: string;

  constructor(
    private readonly api: SourceApi,
    readonly base: string,
    readonly cloud: boolean,
  ) {
    this.rest = `${base}/rest/api/${cloud ? 3 : 2}`;
  }

  /** The project's issues with the listed fields only (no bodies): key, updated, security level, reporter and assignee. */
  async *issuesOf(jql: string, fields: string[]): AsyncGenerator<JiraIssue> {
    const query = new URLSearchParams({ jql, fields: fields.join(','), maxResults: String(pageSize) });
    if (this.cloud) {
      let token: string | undefined;
      do {
        const page: CloudSearchPage = await this.api.json(
          `${this.rest}/search/jql?${query}${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`,
        );
        yield* page.issues;
        token = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
      } while (token);
      return;
    }
    for (let startAt = 0; ;) {
      const page: OffsetSearchPage = await this.api.json(`${this.rest}/search?${query}&startAt=${startAt}`);
      yield* page.issues;
      startAt += page.issues.length;
      if (page.issues.length === 0 || startAt >= page.total) return;
    }
  }

  /** One issue with every field, rendered as HTML, and the fields' names. */
  issue(key: string): Promise<JiraIssue> {
    return this.api.json(`${this.rest}/issue/${encodeURIComponent(key)}?expand=renderedFields,names`);
  }

  /** Who holds BROWSE_PROJECTS in the project's permission scheme. */
  async browsers(projectKey: string): Promise<PermissionHolder[]> {
    const assigned = await this.api.json<{ id: number }>(`${this.rest}/project/${encodeURIComponent(projectKey)}/permissionscheme`);
    const scheme = await this.api.json<{ permissions: { holder: PermissionHolder; permission: string }[] }>(
      `${this.rest}/permissionscheme/${assigned.id}?expand=permissions`,
    );
    return scheme.permissions.filter((grant) => grant.permission === 'BROWSE_PROJECTS').map((grant) => grant.holder);
  }

  /** A project role's actors (users and groups) in the project. */
  async roleActors(projectKey: string, roleId: string): Promise<RoleActor[]> {
    const role = await this.api.json<{ actors?: RoleActor[] }>(
      `${this.rest}/project/${encodeURIComponent(projectKey)}/role/${encodeURIComponent(roleId)}`,
    );
    return role.actors ?? [];
  }

  /**
   * Cloud: who an issue security level is given to ("Get issue security level members": the
   * project's issue security scheme, then its members of that level). Data Center's REST API has
   * no such list (undefined).
   */
  async levelMembers(projectKey: string, levelId: string): Promise<PermissionHolder[] | undefined> {
    if (!this.cloud) return undefined;
    const scheme = await this.api.json<{ id: number | string }>(
      `${this.rest}/project/${encodeURIComponent(projectKey)}/issuesecuritylevelscheme`,
    );
    const holders: PermissionHolder[] = [];
    for (let startAt = 0; ;) {
      const page = await this.api.json<{ values: { holder: PermissionHolder }[]; isLast?: boolean }>(
        `${this.rest}/issuesecurityschemes/${encodeURIComponent(String(scheme.id))}/members?issueSecurityLevelId=${encodeURIComponent(levelId)}&startAt=${startAt}&maxResults=50`,
      );
      holders.push(...page.values.map((value) => value.holder));
      startAt += page.values.length;
      if (page.values.length === 0 || page.isLast !== false) return holders;
    }
  }

  /** A user's email, when their profile's visibility lets it be read. */
  async user(who: { accountId?: string; name?: string }): Promise<JiraUser | undefined> {
    const query = who.accountId ? `accountId=${encodeURIComponent(who.accountId)}` : `username=${encodeURIComponent(who.name ?? '')}`;
    try {
      return await this.api.json<JiraUser>(`${this.rest}/user?${query}`);
    } catch (error) {
      if (error instanceof SourceApiError && (error.status === 404 || error.status === 403)) return undefined;
      throw error;
    }
  }
}
