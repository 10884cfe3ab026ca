import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SitePage {
  status?: number;
  type?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The Authorization header the page needs; any other gets 401. */
  authorization?: string;
}

export interface RequestSeen {
  path: string;
  status: number;
  headers: IncomingHttpHeaders;
}

/**
 * A web site on loopback for crawler specs: pages can be changed, removed or made to fail
 * between syncs. Every page carries a strong ETag of its body and answers If-None-Match with 304,
 * as a well-behaved server does; every request is recorded.
 */
export class TestWebSite {
  private constructor(
    readonly url: string,
    readonly pages: Map<string, SitePage>,
    readonly requests: RequestSeen[],
    private readonly close_: () => Promise<void>,
  ) {}

  static async start(): Promise<TestWebSite> {
    const pages = new Map<string, SitePage>();
    const requests: RequestSeen[] = [];
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://site').pathname;
      const page = pages.get(path);
      const record = (status: number) => requests.push({ path, status, headers: req.headers });
      if (!page) {
        record(404);
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
        return;
      }
      if (page.authorization && req.headers.authorization !== page.authorization) {
        record(401);
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
      const body = page.body ?? '';
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      const status = page.status ?? 200;
      if (status === 200 && req.headers['if-none-match'] === etag) {
        record(304);
        res.writeHead(304, { etag }).end();
        return;
      }
      record(status);
      res.writeHead(status, { 'content-type': page.type ?? 'text/html; charset=utf-8', etag, ...page.headers }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new TestWebSite(`http://127.0.0.1:${port}`, pages, requests, () => new Promise((resolve) => server.close(() => resolve())));
  }

  requestsOf(path: string): RequestSeen[] {
    return this.requests.filter((request) => request.path === path);
  }

  close(): Promise<void> {
    return this.close_();
  }
}
