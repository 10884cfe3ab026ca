import { createRequire } from 'node:module';
import type parseRobots from 'robots-parser';

// robots-parser is CommonJS (module.exports = function) but its types declare a default export.
const robotsParser = createRequire(import.meta.url)('robots-parser') as typeof parseRobots.default;

/** The name Tapeout's crawler goes by, in User-Agent and in robots.txt groups. */
export const crawlerName = 'TapeoutBot';
export const userAgent = `${crawlerName}/1.0 (+source sync of an internal assistant)`;

/** What a host's robots.txt says to Tapeout; `unavailable` when it could not be read (5xx, unreachable). */
export type HostRobots =
  | { state: 'rules'; allows(url: URL): boolean; crawlDelayMs: number | undefined; sitemaps: string[] }
  | { state: 'none' }
  | { state: 'unavailable'; reason: string };

/**
 * robots.txt as RFC 9309 reads it: a 4xx answer means no rules, a 5xx or no answer means the
 * host is not crawled this time (pages already stored are kept, not deleted).
 */
export function robotsFrom(robotsUrl: URL, status: number, body: Buffer | undefined, error?: Error): HostRobots {
  if (error) return { state: 'unavailable', reason: error.message };
  if (status >= 500 || status === 429) return { state: 'unavailable', reason: `robots.txt answered HTTP ${status}` };
  if (status < 200 || status >= 300 || !body) return { state: 'none' };
  const robots = robotsParser(robotsUrl.href, body.toString('utf8'));
  const delay = robots.getCrawlDelay(crawlerName);
  return {
    state: 'rules',
    allows: (url) => robots.isAllowed(url.href, crawlerName) !== false,
    crawlDelayMs: delay && delay > 0 ? Math.min(delay, 10) * 1000 : undefined,
    sitemaps: robots.getSitemaps(),
  };
}
