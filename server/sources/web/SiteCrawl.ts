import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceSyncError, type ListContext, type SourceItem, type SourceToSync } from '../SourceConnector.ts';
import type { ItemError } from '../sourceRepository.ts';
import { pageLinks, resolved } from './pageLinks.ts';
import { parseSitemap } from './sitemap.ts';
import { isSuccess, SiteRequests } from './SiteRequests.ts';
import { SiteScope, type WebSettings } from './webSettings.ts';
import { asUtf8, filenameOf, kindOfContent } from './webContent.ts';

/** What a web source keeps between syncs: per page, what makes the next request conditional, and its links. */
export interface WebCursor {
  pages: Record<string, { etag?: string; lastModified?: string; links?: string[] }>;
}

const maxSitemaps = 20;
const parallelRequests = 4;

/**
 * One crawl of a site: the start page and the sitemap's pages, then their links breadth first,
 * within the source's scope, depth and page limit, as robots.txt allows. Every request, redirect
 * hops included, is checked and pinned by fetchPinned. Stored pages are asked for conditionally
 * (ETag, Last-Modified); an unchanged one costs a 304. A page that answers 404 or 410, is no longer
 * linked, or became disallowed is left out of the listing, so the sync deletes it; a page that could
 * not be read this time (5xx, a timeout) is kept as it was, and so is every stored page the crawl
 * did not reach when it was cut short, since absence then proves nothing.
 */
export class SiteCrawl {
  readonly items: SourceItem[] = [];
  readonly skipped: ItemError[] = [];
  readonly failed: ItemError[] = [];
  readonly cursor: WebCursor = { pages: {} };
  private readonly scope: SiteScope;
  private readonly requests: SiteRequests;
  private readonly queued = new Set<string>();
  /** URLs requested in this crawl (a redirect's target too): a stored page not among them was not reached. */
  private readonly visited = new Set<string>();
  private readonly queue: { url: URL; depth: number }[] = [];
  private complete = true;
  private limitReached = false;
  private fetchedCount = 0;
  private bytesFetched = 0;
  private readonly previous: WebCursor;

  constructor(
    private readonly source: SourceToSync,
    private readonly settings: WebSettings,
    private readonly context: ListContext,
    private readonly bodiesDir: string,
  ) {
    const start = new URL(source.url);
    start.hash = '';
    this.scope = new SiteScope(start, settings);
    this.requests = new SiteRequests(this.scope, source.credentials, context);
    this.previous = isWebCursor(source.cursor) ? source.cursor : { pages: {} };
  }

  private get maxPages() {
    return Math.min(this.settings.maxPages, this.context.limits.maxItems);
  }

  async run(): Promise<void> {
    const start = this.scope.start;
    this.enqueue(start, 0, true);
    const robots = await this.requests.robotsOf(start);
    if (this.settings.sitemap) await this.readSitemaps(robots.state === 'rules' ? robots.sitemaps : []);
    const delayMs = robots.state === 'rules' ? robots.crawlDelayMs : undefined;
    const worker = async () => {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.context.signal.throwIfAborted();
        if (this.fetchedCount >= this.maxPages) {
          if (!this.limitReached)
            this.skipped.push({
              item: start.href,
              code: 'page_limit',
              message: `Stopped at ${this.maxPages} pages (maxPages or CONNECTOR_MAX_ITEMS); pages not reached keep their last version.`,
            });
          this.complete = false;
          this.limitReached = true;
          this.queue.length = 0;
          return;
        }
        this.fetchedCount++;
        await this.crawl(next.url, next.depth);
        if (delayMs) await sleep(delayMs, undefined, { signal: this.context.signal });
      }
    };
    // Workers stop when the queue is empty, so more are started while pages add links.
    while (this.queue.length > 0) {
      await Promise.all(Array.from({ length: delayMs ? 1 : parallelRequests }, worker));
    }
    if (!this.complete) this.keepUnreached();
  }

  private enqueue(url: URL, depth: number, always = false) {
    if (this.queued.has(url.href) || (!always && !this.scope.includes(url))) return;
    this.queued.add(url.href);
    this.queue.push({ url, depth });
  }

  private async crawl(url: URL, depth: number): Promise<void> {
    this.visited.add(url.href);
    const fetched = await this.requests.fetchFollowing(url, this.conditionalHeaders(url.href));
    if (fetched.outcome === 'unreadable') return this.couldNotRead(fetched.error);
    if (fetched.outcome !== 'response') {
      (fetched.outcome === 'refused' ? this.failed : this.skipped).push(fetched.error);
      return;
    }
    const key = fetched.url.href;
    if (key !== url.href && this.queued.has(key)) return;
    this.queued.add(key);
    this.visited.add(key);
    const { status, headers, body, tooLarge } = fetched.response;
    if (status === 404 || status === 410) return;
    if (status === 304 && fetched.conditional) return this.unchanged(key, headers, depth);
    if (status < 200 || status >= 300)
      return this.couldNotRead({ item: key, code: `http_${status}`, message: `The page answered HTTP ${status}.` });
    const kind = kindOfContent(headers['content-type']);
    if (!kind) {
      this.skipped.push({
        item: key,
        code: 'unsupported_type',
        message: `Not a page or document Tapeout reads (${headers['content-type'] ?? 'no Content-Type'}).`,
      });
      return;
    }
    if (tooLarge || !body) {
      this.skipped.push({
        item: key,
        code: 'file_too_large',
        message: `Over CONNECTOR_MAX_FILE_BYTES (${this.context.limits.maxFileBytes}).`,
      });
      return;
    }
    this.bytesFetched += body.length;
    if (this.bytesFetched > this.context.limits.maxSyncBytes) {
      throw new SourceSyncError(
        'sync_too_large',
        `The crawl fetched more than CONNECTOR_MAX_SYNC_BYTES (${this.context.limits.maxSyncBytes} bytes).`,
      );
    }
    const text = asUtf8(body, headers['content-type'], kind);
    let links: string[] | undefined;
    if (kind === 'html') {
      const page = pageLinks(text.toString('utf8'), fetched.url);
      links = page.nofollow ? [] : page.links;
      this.follow(links, depth);
      if (page.noindex) return;
    }
    await this.addItem(fetched.url, kind, text, { ...validators(headers), ...(links ? { links: this.inScope(links) } : {}) });
  }

  private async addItem(url: URL, kind: string, body: Buffer, entry: WebCursor['pages'][string]) {
    const key = url.href;
    const version = createHash('sha256').update(body).digest('hex');
    const file = path.join(this.bodiesDir, version);
    if (this.context.known.get(key) !== version) await writeFile(file, body);
    this.cursor.pages[key] = entry;
    this.items.push({ ...this.itemAt(key, kind), version, read: async () => readFile(file) });
  }

  private unchanged(key: string, headers: IncomingHttpHeaders, depth: number) {
    const before = this.previous.pages[key] ?? {};
    this.follow(before.links ?? [], depth);
    this.keep(key, { ...before, ...validators(headers) });
  }

  /** A stored page that could not be read now stays as it is; a new one is reported and tried next time. */
  private couldNotRead(error: ItemError) {
    this.failed.push(error);
    this.complete = false;
    if (this.context.known.has(error.item)) this.keep(error.item, this.previous.pages[error.item] ?? {});
  }

  private keep(key: string, entry: WebCursor['pages'][string]) {
    const version = this.context.known.get(key);
    // A page is in the listing once: its cursor entry says it is.
    if (version === undefined || Object.hasOwn(this.cursor.pages, key)) return;
    this.cursor.pages[key] = entry;
    this.items.push({
      ...this.itemAt(key, undefined),
      version,
      read: () => Promise.reject(new Error(`${key} was not fetched in this sync.`)),
    });
  }

  private keepUnreached() {
    for (const key of this.context.known.keys()) {
      if (!this.visited.has(key)) this.keep(key, this.previous.pages[key] ?? {});
    }
  }

  private itemAt(key: string, kind: string | undefined): Omit<SourceItem, 'version' | 'read'> {
    return { key, filename: filenameOf(new URL(key), kind), origin: { location: this.scope.start.href, path: key, link: key } };
  }

  private follow(links: string[], depth: number) {
    if (depth >= this.settings.maxDepth) return;
    for (const link of links) this.enqueue(new URL(link), depth + 1);
  }

  private inScope(links: string[]): string[] {
    return links.filter((link) => this.scope.includes(new URL(link)));
  }

  private conditionalHeaders(key: string): Record<string, string> {
    const before = this.previous.pages[key];
    if (!before || !this.context.known.has(key)) return {};
    return {
      ...(before.etag ? { 'if-none-match': before.etag } : {}),
      ...(before.lastModified ? { 'if-modified-since': before.lastModified } : {}),
    };
  }

  private async readSitemaps(fromRobots: string[]) {
    const pending = [...fromRobots, new URL('/sitemap.xml', this.scope.start.origin).href];
    const read = new Set<string>();
    while (pending.length > 0 && read.size < maxSitemaps) {
      const url = resolved(pending.shift(), this.scope.start);
      if (!url || read.has(url.href) || !this.scope.hasHost(url)) continue;
      read.add(url.href);
      try {
        const response = await this.requests.get(url, {}, isSuccess);
        if (response.status === 404 || response.status === 410) continue;
        if (!response.body) throw new Error(`HTTP ${response.status}${response.tooLarge ? ', over CONNECTOR_MAX_FILE_BYTES' : ''}`);
        const sitemap = parseSitemap(response.body.toString('utf8'));
        pending.push(...sitemap.sitemaps);
        for (const page of sitemap.pages) {
          const target = resolved(page, url);
          if (target) this.enqueue(target, 0);
        }
      } catch (error) {
        if (this.context.signal.aborted) throw error;
        // Pages only the sitemap lists may be missed, so none is deleted for being unreached.
        this.complete = false;
        this.failed.push({ item: url.href, code: 'sitemap_unreadable', message: (error as Error).message });
      }
    }
  }
}

function validators(headers: IncomingHttpHeaders): { etag?: string; lastModified?: string } {
  return {
    ...(typeof headers.etag === 'string' ? { etag: headers.etag } : {}),
    ...(typeof headers['last-modified'] === 'string' ? { lastModified: headers['last-modified'] } : {}),
  };
}

function isWebCursor(cursor: unknown): cursor is WebCursor {
  return typeof cursor === 'object' && cursor !== null && typeof (cursor as WebCursor).pages === 'object';
}
