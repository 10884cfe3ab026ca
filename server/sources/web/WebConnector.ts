import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SourceLimits } from '../../config/index.ts';
import { checkedSourceUrl } from '../sourceUrl.ts';
import { parseSettings, type ListContext, type SourceConnector, type SourceListing, type SourceToSync } from '../SourceConnector.ts';
import type { SourceSettings } from '../sourceRepository.ts';
import { SiteCrawl } from './SiteCrawl.ts';
import { webSettingsSchema } from './webSettings.ts';

/**
 * Web sites: crawled from a start URL (and its sitemap) on every sync, politely (robots.txt,
 * conditional requests), each page stored as the bytes the site sent. HTML is read in reader
 * view (@mozilla/readability, in the extraction threads), so menus and footers are not indexed.
 */
export class WebConnector implements SourceConnector {
  readonly kind = 'web' as const;

  /** `workDir` holds each sync's fetched pages until they are stored. */
  constructor(private readonly workDir: string) {}

  async validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings> {
    const parsed = parseSettings(webSettingsSchema, settings, 'Web');
    await checkedSourceUrl(url, limits, 'https://host/path/');
    return parsed;
  }

  async list(source: SourceToSync, context: ListContext): Promise<SourceListing> {
    const settings = webSettingsSchema.parse(source.settings);
    const bodiesDir = this.bodiesDir(source.id);
    await rm(bodiesDir, { recursive: true, force: true });
    await mkdir(bodiesDir, { recursive: true });
    const crawl = new SiteCrawl(source, settings, context, bodiesDir);
    try {
      await crawl.run();
    } catch (error) {
      await rm(bodiesDir, { recursive: true, force: true });
      throw error;
    }
    return {
      items: crawl.items,
      skipped: crawl.skipped,
      failed: crawl.failed,
      cursor: crawl.cursor,
      dispose: () => rm(bodiesDir, { recursive: true, force: true }),
    };
  }

  async forget(sourceId: string): Promise<void> {
    await rm(this.bodiesDir(sourceId), { recursive: true, force: true });
  }

  private bodiesDir(sourceId: string) {
    return path.join(this.workDir, `${sourceId}.pages`);
  }
}
