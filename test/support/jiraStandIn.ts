import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Jira that answers the connector's requests in the shapes of Atlassian's references:
 * - Cloud REST v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/): "Search for
 *   issues using JQL enhanced search" (GET /rest/api/3/search/jql, `nextPageToken`/`isLast`),
 *   "Get issue" with `expand=renderedFields,names`, "Get assigned permission scheme" (GET
 *   /rest/api/3/project/{key}/permissionscheme), "Get permission scheme" with
 *   `expand=permissions`, "Get project role for project" (actors), "Get issue security level
 *   members" (GET /rest/api/3/issuesecurityschemes/{schemeId}/members?issueSecurityLevelId=, the scheme from
 *   GET /rest/api/3/project/{key}/issuesecuritylevelscheme) and "Get user".
 * - Data Center REST v2 (https://docs.atlassian.com/software/jira/docs/api/REST/latest/): GET
 *   /rest/api/2/search with `startAt`/`maxResults`/`total`, users by `username` with `emailAddress`.
 */

export interface JiraStandInUser {
  accountId: string;
  name: string;
  emailAddress?: string;
  displayName: string;
}

export interface JiraStandInIssue {
  key: string;
  project: string;
  summary: string;
  status: string;
  updated: string;
  description: string;
  reporter?: JiraStandInUser;
  security?: { id: string; name: string };
  comments: { id: string; author: JiraStandInUser; created: string; body: string }[];
  custom?: Record<string, { name: string; value: unknown }>;
}

type Holder = { type: string; parameter?: string; value?: string };

export class JiraStandIn {
  readonly issues = new Map<string, JiraStandInIssue>();
  readonly users: JiraStandInUser[] = [];
  /** BROWSE_PROJECTS holders of each project's permission scheme. */
  readonly browse = new Map<string, Holder[]>();
  readonly roles = new Map<
    string,
    {
      type: 'atlassian-user-role-actor' | 'atlassian-group-role-actor';
      name: string;
      actorUser?: { accountId: string };
      actorGroup?: { name: string; groupId: string };
    }[]
  >();
  readonly levels = new Map<string, Holder[]>();
  readonly requests: { path: string; status: number }[] = [];
  rateLimitNext = 0;
  /** Answer the next N requests with 503 (a node restarting). */
  unavailableNext = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: { deployment: 'cloud' | 'datacenter'; acceptedAuthorization: string; pageSize: number },
  ) {}

  static async start(options: {
    deployment: 'cloud' | 'datacenter';
    acceptedAuthorization: string;
    pageSize: number;
  }): Promise<JiraStandIn> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const standIn = new JiraStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('request', (req, res) => standIn.handle(req, res));
    return standIn;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private get cloud() {
    return this.options.deployment === 'cloud';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url!, this.url);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ path: url.pathname, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== this.options.acceptedAuthorization)
      return answer(401, { errorMessages: ['You are not authenticated.'] });
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return answer(429, { errorMessages: ['Rate limit exceeded.'] }, { 'retry-after': '1' });
    }
    if (this.unavailableNext > 0) {
      this.unavailableNext -= 1;
      return answer(503, { errorMessages: ['Service unavailable.'] });
    }
    const rest = `/rest/api/${this.cloud ? 3 : 2}`;
    const path = url.pathname.startsWith(rest) ? url.pathname.slice(rest.length) : '';
    if ((this.cloud && path === '/search/jql') || (!this.cloud && path === '/search')) return answer(200, this.search(url));
    let match = /^\/issue\/([A-Z]+-\d+)$/.exec(path);
    if (match) {
      const issue = this.issues.get(match[1]!);
      return issue
        ? answer(200, this.issueJson(issue, true))
        : answer(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });
    }
    match = /^\/project\/([A-Z]+)\/permissionscheme$/.exec(path);
    if (match)
      return this.browse.has(match[1]!)
        ? answer(200, { id: 10000 + [...this.browse.keys()].indexOf(match[1]!), name: 'Scheme' })
        : answer(404, { errorMessages: ['No project'] });
    match = /^\/permissionscheme\/(\d+)$/.exec(path);
    if (match) {
      const holders = [...this.browse.values()][Number(match[1]) - 10000] ?? [];
      return answer(200, {
        id: Number(match[1]),
        permissions: holders
          .map((holder, i) => ({ id: i, holder, permission: 'BROWSE_PROJECTS' }))
          .concat([{ id: 99, holder: { type: 'anyone' }, permission: 'CREATE_ISSUES' }]),
      });
    }
    match = /^\/project\/([A-Z]+)\/role\/(\d+)$/.exec(path);
    if (match) return answer(200, { id: Number(match[2]), name: 'Developers', actors: this.roles.get(match[2]!) ?? [] });
    if (this.cloud && /^\/project\/[A-Z]+\/issuesecuritylevelscheme$/.test(path))
      return answer(200, { id: 10500, name: 'Security scheme' });
    if (this.cloud && path === '/issuesecurityschemes/10500/members') {
      const holders = this.levels.get(url.searchParams.get('issueSecurityLevelId')!) ?? [];
      return answer(200, {
        startAt: 0,
        maxResults: 50,
        total: holders.length,
        isLast: true,
        values: holders.map((holder, i) => ({ id: String(i), holder })),
      });
    }
    if (path === '/user') {
      const user = this.users.find((u) =>
        this.cloud ? u.accountId === url.searchParams.get('accountId') : u.name === url.searchParams.get('username'),
      );
      return user ? answer(200, this.userJson(user)) : answer(404, { errorMessages: ['No user'] });
    }
    answer(404, { errorMessages: [`No route ${url.pathname}`] });
  }

  private userJson(user: JiraStandInUser) {
    return this.cloud
      ? { accountId: user.accountId, displayName: user.displayName, ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}) }
      : { name: user.name, key: `JIRAUSER${user.name}`, displayName: user.displayName, emailAddress: user.emailAddress };
  }

  /** JQL as the connector writes it: `project = "KEY" ORDER BY key ASC`. */
  private search(url: URL) {
    const project = /^project = "([A-Z]+)"/.exec(url.searchParams.get('jql') ?? '')?.[1];
    const all = [...this.issues.values()]
      .filter((issue) => issue.project === project)
      .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    const size = Math.min(Number(url.searchParams.get('maxResults') ?? 50), this.options.pageSize);
    const fields = (url.searchParams.get('fields') ?? '').split(',');
    const start = Number((this.cloud ? url.searchParams.get('nextPageToken') : url.searchParams.get('startAt')) ?? 0);
    const issues = all.slice(start, start + size).map((issue) => this.issueJson(issue, false, fields));
    const last = start + size >= all.length;
    return this.cloud
      ? { issues, isLast: last, ...(last ? {} : { nextPageToken: String(start + size) }) }
      : { startAt: start, maxResults: size, total: all.length, issues };
  }

  private issueJson(issue: JiraStandInIssue, full: boolean, fields: string[] = []) {
    const want = (name: string) => full || fields.includes(name);
    const custom = Object.fromEntries(Object.entries(issue.custom ?? {}).map(([id, field]) => [id, field.value]));
    return {
      id: issue.key.replace(/\D/g, ''),
      key: issue.key,
      fields: {
        ...(want('summary') ? { summary: issue.summary } : {}),
        ...(want('updated') ? { updated: issue.updated } : {}),
        ...(want('security') ? { security: issue.security ?? null } : {}),
        ...(want('reporter') ? { reporter: issue.reporter ? this.userJson(issue.reporter) : null } : {}),
        ...(want('assignee') ? { assignee: null } : {}),
        ...(full
          ? {
              status: { name: issue.status },
              issuetype: { name: 'Bug' },
              priority: { name: 'High' },
              comment: { comments: issue.comments.map((c) => ({ id: c.id, author: this.userJson(c.author), created: c.created })) },
              ...custom,
            }
          : {}),
      },
      ...(full
        ? {
            renderedFields: {
              description: issue.description,
              comment: { comments: issue.comments.map((c) => ({ id: c.id, body: c.body })) },
            },
            names: Object.fromEntries(Object.entries(issue.custom ?? {}).map(([id, field]) => [id, field.name])),
          }
        : {}),
    };
  }
}
