import { minimatch } from 'minimatch';
import { z } from 'zod';

const hostName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'a host name, optionally with :port')
  .transform((host) => host.toLowerCase());
const glob = z.string().min(1).max(500);

export const webSettingsSchema = z
  .object({
    /** Other hosts whose pages belong to the site (the start URL's host always does, below its directory). */
    hosts: z.array(hostName).max(50).optional(),
    /** Globs on a page's path (`/docs/**`); a page must match one to be crawled. */
    include: z.array(glob).max(100).optional(),
    exclude: z.array(glob).max(100).optional(),
    /** Links followed from the start page (and from pages the sitemap lists). */
    maxDepth: z.number().int().min(0).max(20).default(3),
    /** URLs fetched per sync at most (CONNECTOR_MAX_ITEMS caps it too). */
    maxPages: z.number().int().min(1).max(100_000).default(1000),
    /** Whether /sitemap.xml and robots.txt's Sitemap lines add pages. */
    sitemap: z.boolean().default(true),
  })
  .strict();
export type WebSettings = z.infer<typeof webSettingsSchema>;

/** Which URLs belong to a web source: its hosts, below the start page's directory on its own host, and its globs. */
export class SiteScope {
  private readonly basePath: string;
  private readonly hosts: Set<string>;

  constructor(
    readonly start: URL,
    private readonly settings: WebSettings,
  ) {
    this.basePath = start.pathname.slice(0, start.pathname.lastIndexOf('/') + 1);
    this.hosts = new Set(settings.hosts ?? []);
  }

  /** Whether a URL's host is the site's (sitemaps and robots.txt may sit anywhere on one). */
  hasHost(url: URL): boolean {
    return url.host === this.start.host || this.hosts.has(url.host) || this.hosts.has(url.hostname);
  }

  includes(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (!this.hasHost(url)) return false;
    if (url.host === this.start.host && !url.pathname.startsWith(this.basePath)) return false;
    const matches = (pattern: string) => minimatch(url.pathname, pattern, { dot: true });
    if (this.settings.include?.length && !this.settings.include.some(matches)) return false;
    return !this.settings.exclude?.some(matches);
  }
}
