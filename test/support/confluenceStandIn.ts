import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Confluence that answers the requests Tapeout's connector makes, in the shapes of
 * Atlassian's references:
 * - Cloud REST v1, "Search content by CQL" (GET /wiki/rest/api/content/search; cursor pagination
 *   through `_links.next`, relative to `_links.base`), "Get content by ID" with
 *   `expand=body.storage`, "Get user" (GET /wiki/rest/api/user?accountId=) and "Get group by id";
 *   https://developer.atlassian.com/cloud/confluence/rest/v1/
 * - Cloud REST v2, "Get spaces" (GET /wiki/api/v2/spaces?keys=) and "Get space permissions"
 *   (GET /wiki/api/v2/spaces/{id}/permissions; cursor in `_links.next`);
 *   https://developer.atlassian.com/cloud/confluence/rest/v2/
 * - Data Center REST (GET /rest/api/content/search with `start`/`limit` offsets; restricted
 *   users named by username and userKey); https://developer.atlassian.com/server/confluence/rest/
 * - Atlassian OAuth 2.0 (3LO) token refresh with rotating refresh tokens (POST /oauth/token, JSON);
 *   https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/
 * Expansions are honoured as the connector asks for them (version, ancestors, space,
 * restrictions.read.restrictions.user/group, container).
 */

export interface StandInUser {
  accountId: string;
  email?: string;
  username: string;
  displayName: string;
}

export interface StandInPage {
  id: string;
  space: string;
  title: string;
  type?: 'page' | 'blogpost';
  /** Ancestor ids, root first. */
  ancestors: string[];
  version: number;
  body: string;
  /** When it was last modified (yyyy-mm-dd), for CQL's lastModified. */
  modified?: string;
  restrictions?: { users: StandInUser[]; groups: { id: string; name: string }[] };
}

export interface StandInAttachment {
  id: string;
  pageId: string;
  title: string;
  version: number;
  mediaType: string;
  bytes: Buffer;
}

export interface ConfluenceStandInOptions {
  deployment: 'cloud' | 'datacenter';
  /** `Basic base64(email:token)` for an API token, or `Bearer <PAT>` (Data Center). */
  acceptedAuthorization?: string;
  /** A page size smaller than asked, to make pagination visible. */
  pageSize?: number;
}

export class ConfluenceStandIn {
  readonly pages = new Map<string, StandInPage>();
  readonly attachments = new Map<string, StandInAttachment>();
  readonly users = new Map<string, StandInUser>();
  readonly spaces = new Map<string, { id: string; name: string; permissions: { type: 'user' | 'group' | 'role'; id: string }[] }>();
  readonly requests: { method: string; path: string; status: number }[] = [];
  /** Answer the next N searches with 429 and Retry-After: 1. */
  rateLimitNext = 0;
  /** OAuth: the refresh token accepted next (rotated on each refresh) and the access token valid now. */
  refreshToken = 'refresh-0';
  accessToken: string | undefined;
  /** OAuth: the access token stops working after this many API requests (a token expiring mid-sync). */
  expireAccessTokenAfter = Infinity;
  private usesOfToken = 0;
  private refreshes = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: ConfluenceStandInOptions,
  ) {}

  static async start(options: ConfluenceStandInOptions): Promise<ConfluenceStandIn> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const standIn = new ConfluenceStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('request', (req, res) => standIn.handle(req, res));
    return standIn;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private get prefix(): string {
    return this.options.deployment === 'cloud' ? '/wiki' : '';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url!, this.url);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        this.requests.push({ method: req.method!, path: url.pathname, status });
        const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
        res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json', ...headers });
        res.end(payload);
      };
      if (req.method === 'POST' && url.pathname === '/oauth/token')
        return this.token(JSON.parse(Buffer.concat(chunks).toString() || '{}'), answer);
      if (!this.authorized(req.headers.authorization)) return answer(401, { message: 'Unauthorized' });
      this.route(url, answer);
    });
  }

  private authorized(header: string | undefined): boolean {
    if (this.accessToken !== undefined) {
      if (header !== `Bearer ${this.accessToken}`) return false;
      return ++this.usesOfToken <= this.expireAccessTokenAfter;
    }
    return header === this.options.acceptedAuthorization;
  }

  private token(body: Record<string, string>, answer: (status: number, body: unknown) => void): void {
    if (body.grant_type !== 'refresh_token' || body.refresh_token !== this.refreshToken || !body.client_id || !body.client_secret) {
      return answer(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    }
    this.refreshes += 1;
    this.refreshToken = `refresh-${this.refreshes}`;
    this.accessToken = `access-${this.refreshes}`;
    this.usesOfToken = 0;
    answer(200, {
      access_token: this.accessToken,
      refresh_token: this.refreshToken,
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'read:confluence-content.all',
    });
  }

  private route(url: URL, answer: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    const path = url.pathname.slice(this.prefix.length);
    if (!url.pathname.startsWith(this.prefix)) return answer(404, { message: 'Not found' });
    if (path === '/rest/api/content/search') {
      if (this.rateLimitNext > 0) {
        this.rateLimitNext -= 1;
        return answer(429, { message: 'Rate limited' }, { 'retry-after': '1' });
      }
      return answer(200, this.search(url));
    }
    const content = /^\/rest\/api\/content\/(\d+)$/.exec(path);
    if (content) {
      const page = this.pages.get(content[1]!);
      return page
        ? answer(200, { ...this.summary(page, 'version'), body: { storage: { value: page.body, representation: 'storage' } } })
        : answer(404, { message: 'No content' });
    }
    const download = /^\/download\/attachments\/(\d+)\/([^/]+)$/.exec(path);
    if (download) {
      const attachment = [...this.attachments.values()].find(
        (a) => a.pageId === download[1] && a.title === decodeURIComponent(download[2]!),
      );
      return attachment ? answer(200, attachment.bytes) : answer(404, { message: 'No attachment' });
    }
    if (path === '/rest/api/user') {
      const user = [...this.users.values()].find((u) => u.accountId === url.searchParams.get('accountId'));
      return user
        ? answer(200, { accountId: user.accountId, email: user.email ?? '', displayName: user.displayName })
        : answer(404, { message: 'No user' });
    }
    if (path === '/rest/api/group/by-id')
      return answer(200, { id: url.searchParams.get('id'), name: `group-${url.searchParams.get('id')}` });
    if (this.options.deployment === 'cloud' && path === '/api/v2/spaces') {
      const key = url.searchParams.get('keys')!;
      const space = this.spaces.get(key);
      return answer(200, { results: space ? [{ id: space.id, key, name: space.name }] : [], _links: {} });
    }
    const permissions = /^\/api\/v2\/spaces\/(\d+)\/permissions$/.exec(path);
    if (this.options.deployment === 'cloud' && permissions) {
      const space = [...this.spaces.values()].find((s) => s.id === permissions[1]);
      if (!space) return answer(404, { message: 'No space' });
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const size = this.options.pageSize ?? 250;
      const results = space.permissions.slice(offset, offset + size).map((principal, i) => ({
        id: String(offset + i),
        principal,
        operation: { key: 'read', targetType: 'space' },
      }));
      const more = offset + size < space.permissions.length;
      return answer(200, { results, _links: more ? { next: `/wiki/api/v2/spaces/${space.id}/permissions?cursor=${offset + size}` } : {} });
    }
    answer(404, { message: `No route ${url.pathname}` });
  }

  /** CQL as the connector writes it: `space = "KEY" AND type = page|blogpost|attachment [AND lastModified >= "yyyy-mm-dd"]`. */
  private search(url: URL) {
    const cql = url.searchParams.get('cql') ?? '';
    const match = /^space = "([^"]+)" AND type = (page|blogpost|attachment)(?: AND lastModified >= "(\d{4}-\d{2}-\d{2})")?$/.exec(cql);
    if (!match) return { results: [], start: 0, limit: 0, size: 0, _links: {} };
    const [, space, type, since] = match;
    const expand = url.searchParams.get('expand') ?? '';
    const all =
      type === 'attachment'
        ? [...this.attachments.values()].filter((a) => this.pages.get(a.pageId)?.space === space).map((a) => this.attachmentSummary(a))
        : [...this.pages.values()]
            .filter((p) => p.space === space && (p.type ?? 'page') === type && (!since || (p.modified ?? '2026-12-01') >= since))
            .map((p) => this.summary(p, expand));
    const size = Math.min(Number(url.searchParams.get('limit') ?? 25), this.options.pageSize ?? 25);
    const cloud = this.options.deployment === 'cloud';
    const offset = Number((cloud ? url.searchParams.get('cursor') : url.searchParams.get('start')) ?? 0);
    const results = all.slice(offset, offset + size);
    const nextQuery = new URLSearchParams({ cql, limit: String(size), expand, [cloud ? 'cursor' : 'start']: String(offset + size) });
    const base = `${this.url}${this.prefix}`;
    return {
      results,
      start: offset,
      limit: size,
      size: results.length,
      _links: {
        base,
        context: this.prefix,
        ...(offset + size < all.length ? { next: `/rest/api/content/search?${nextQuery}` } : {}),
      },
    };
  }

  private summary(page: StandInPage, expand: string) {
    const restrictions = page.restrictions ?? { users: [], groups: [] };
    const cloud = this.options.deployment === 'cloud';
    return {
      id: page.id,
      type: page.type ?? 'page',
      status: 'current',
      title: page.title,
      ...(expand.includes('version') ? { version: { number: page.version, when: '2026-12-01T10:00:00.000Z' } } : {}),
      ...(expand.includes('space') ? { space: { key: page.space, name: `${page.space} space` } } : {}),
      ...(expand.includes('ancestors')
        ? { ancestors: page.ancestors.map((id) => ({ id, type: 'page', title: this.pages.get(id)?.title ?? id })) }
        : {}),
      ...(expand.includes('restrictions.read')
        ? {
            restrictions: {
              read: {
                operation: 'read',
                restrictions: {
                  user: {
                    results: restrictions.users.map((u) =>
                      cloud
                        ? { type: 'known', accountId: u.accountId, displayName: u.displayName }
                        : { type: 'known', username: u.username, userKey: `key-${u.username}`, displayName: u.displayName },
                    ),
                    start: 0,
                    limit: 200,
                    size: restrictions.users.length,
                  },
                  group: {
                    results: restrictions.groups.map((g) => ({ type: 'group', name: g.name, ...(cloud ? { id: g.id } : {}) })),
                    start: 0,
                    limit: 200,
                    size: restrictions.groups.length,
                  },
                },
              },
            },
          }
        : {}),
      ...(expand.includes('body.storage') ? { body: { storage: { value: page.body, representation: 'storage' } } } : {}),
      _links: { webui: `/spaces/${page.space}/pages/${page.id}` },
    };
  }

  private attachmentSummary(attachment: StandInAttachment) {
    return {
      id: attachment.id,
      type: 'attachment',
      status: 'current',
      title: attachment.title,
      version: { number: attachment.version },
      container: { id: attachment.pageId, type: 'page' },
      extensions: { mediaType: attachment.mediaType, fileSize: attachment.bytes.length },
      _links: {
        webui: `/pages/viewpageattachments.action?pageId=${attachment.pageId}`,
        download: `/download/attachments/${attachment.pageId}/${encodeURIComponent(attachment.title)}?version=${attachment.version}&api=v2`,
      },
    };
  }
}
