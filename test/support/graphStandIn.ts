import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Microsoft Graph and identity platform that answer the SharePoint connector's requests
 * in the shapes of Microsoft's references:
 * - "Get a site resource" by path (GET /v1.0/sites/{hostname}:/{server-relative-path}) and "List
 *   available drives" (GET /v1.0/sites/{site-id}/drives);
 *   https://learn.microsoft.com/graph/api/site-getbypath, https://learn.microsoft.com/graph/api/drive-list
 * - "Track changes in a driveItem and its children" (GET /v1.0/drives/{drive-id}/root/delta):
 *   pages joined by @odata.nextLink, ending in @odata.deltaLink; deleted items carry a `deleted`
 *   facet; parentReference.path is not returned; https://learn.microsoft.com/graph/api/driveitem-delta
 * - "List sharing permissions on a driveItem" (grantedToV2, grantedToIdentitiesV2, link.scope)
 *   and "Download driveItem content" (302 to a pre-authenticated URL);
 *   https://learn.microsoft.com/graph/api/driveitem-list-permissions, https://learn.microsoft.com/graph/api/driveitem-get-content
 * - The OAuth 2.0 client credentials grant (POST /{tenant}/oauth2/v2.0/token, form-encoded,
 *   client_secret or a client_assertion JWT); https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * Throttling answers 429 with Retry-After, as Graph does.
 */

export interface GraphFile {
  id: string;
  name: string;
  parentId: string;
  folder?: boolean;
  bytes?: Buffer;
  permissions: object[];
  version: number;
  /** The change number it was last changed at (for delta). */
  changed: number;
  deleted?: boolean;
}

export class GraphStandIn {
  readonly items = new Map<string, GraphFile>();
  readonly requests: { path: string; status: number; authorization?: string }[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  /** The next N requests to Graph get 429 with Retry-After: 1. */
  throttleNext = 0;
  /** Access tokens stop working after this many Graph requests (a token expiring mid-sync). */
  tokenLifetimeRequests = Infinity;
  private change = 0;
  private tokens = 0;
  private uses = 0;
  readonly clientSecret = 'graph-client-secret';

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {
    this.items.set('root', { id: 'root', name: 'root', parentId: '', folder: true, permissions: [], version: 1, changed: 0 });
  }

  static async start(): Promise<GraphStandIn> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const standIn = new GraphStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => standIn.handle(req, res));
    return standIn;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Adds or changes an item (as a change the next delta reports). */
  put(file: Omit<GraphFile, 'changed' | 'version'> & { version?: number }): void {
    const before = this.items.get(file.id);
    this.items.set(file.id, { ...file, version: file.version ?? (before ? before.version + 1 : 1), changed: ++this.change });
  }

  remove(id: string): void {
    const file = this.items.get(id)!;
    this.items.set(id, { ...file, deleted: true, changed: ++this.change });
  }

  /** Changes who may read an item; like Graph, a permission change alone is not in the delta. */
  share(id: string, permissions: object[]): void {
    this.items.get(id)!.permissions = permissions;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url!, this.url);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        this.requests.push({ path: url.pathname, status, authorization: req.headers.authorization });
        const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
        res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json', ...headers });
        res.end(payload);
      };
      if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname))
        return this.token(new URLSearchParams(Buffer.concat(chunks).toString()), answer);
      if (url.pathname.startsWith('/download/')) {
        const file = this.items.get(url.pathname.slice('/download/'.length));
        return file?.bytes && url.searchParams.get('tempauth') === 'pre-authorised' ? answer(200, file.bytes) : answer(401, {});
      }
      if (req.headers.authorization !== `Bearer access-${this.tokens}` || ++this.uses > this.tokenLifetimeRequests) {
        return answer(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } });
      }
      if (this.throttleNext > 0) {
        this.throttleNext -= 1;
        return answer(429, { error: { code: 'TooManyRequests', message: 'Please retry again later.' } }, { 'retry-after': '1' });
      }
      this.route(url, answer);
    });
  }

  private token(form: URLSearchParams, answer: (status: number, body: unknown) => void): void {
    this.tokenRequests.push(form);
    const secretOk = form.get('client_secret') === this.clientSecret;
    const assertionOk =
      form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
      Boolean(form.get('client_assertion'));
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== `${this.url}/.default` || !(secretOk || assertionOk)) {
      return answer(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
    }
    this.tokens += 1;
    this.uses = 0;
    answer(200, { token_type: 'Bearer', expires_in: 3599, access_token: `access-${this.tokens}` });
  }

  private route(url: URL, answer: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    const path = url.pathname.replace(/^\/v1\.0/, '');
    if (/^\/sites\/127\.0\.0\.1:\/sites\/Hardware$/.test(path))
      return answer(200, { id: '127.0.0.1,site-guid,web-guid', name: 'Hardware' });
    if (path.startsWith('/sites/') && path.includes(':'))
      return answer(404, { error: { code: 'itemNotFound', message: 'Requested site could not be found' } });
    if (path === '/sites/127.0.0.1,site-guid,web-guid/drives') {
      return answer(200, {
        value: [
          { id: 'drive-1', name: 'Documents', driveType: 'documentLibrary', webUrl: `${this.url}/sites/Hardware/Shared%20Documents` },
        ],
      });
    }
    if (path === '/drives/drive-1/root/delta') return answer(200, this.delta(url));
    let match = /^\/drives\/drive-1\/items\/([^/]+)\/permissions$/.exec(path);
    if (match) return answer(200, { value: this.items.get(match[1]!)?.permissions ?? [] });
    match = /^\/drives\/drive-1\/items\/([^/]+)\/content$/.exec(path);
    if (match) return answer(302, {}, { location: `${this.url}/download/${match[1]}?tempauth=pre-authorised` });
    answer(404, { error: { code: 'itemNotFound', message: `No route ${url.pathname}` } });
  }

  /** Changes after the token (a change number), two items a page. */
  private delta(url: URL) {
    const since = Number(url.searchParams.get('token') ?? 0);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const changed = [...this.items.values()]
      .filter((item) => (since === 0 ? !item.deleted : item.changed > since))
      .sort((a, b) => a.changed - b.changed);
    const page = changed.slice(skip, skip + 2).map((item) => this.driveItem(item));
    const base = `${this.url}/v1.0/drives/drive-1/root/delta`;
    return skip + 2 < changed.length
      ? { value: page, '@odata.nextLink': `${base}?token=${since}&$skiptoken=${skip + 2}` }
      : { value: page, '@odata.deltaLink': `${base}?token=${this.change}` };
  }

  private driveItem(item: GraphFile) {
    if (item.deleted) return { id: item.id, deleted: { state: 'deleted' }, parentReference: { driveId: 'drive-1' } };
    return {
      id: item.id,
      name: item.name,
      cTag: `"c:{${item.id}},${item.version}"`,
      eTag: `"{${item.id}},${item.version}"`,
      webUrl: `${this.url}/sites/Hardware/Shared%20Documents/${item.name}`,
      ...(item.id === 'root'
        ? { root: {}, folder: { childCount: 0 } }
        : item.folder
          ? { folder: { childCount: 0 } }
          : { file: { mimeType: 'application/octet-stream' }, size: item.bytes?.length ?? 0 }),
      parentReference: { driveId: 'drive-1', ...(item.id === 'root' ? {} : { id: item.parentId }) },
    };
  }
}
