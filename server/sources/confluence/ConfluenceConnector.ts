import type { SourceLimits } from '../../config/index.ts';
import type { DocumentReader } from '../../corpus/documentReaders.ts';
import { atlassianApi, checkedAtlassianSite } from '../atlassianApi.ts';
import { containerRefused } from '../SourceApi.ts';
import {
  parseSettings,
  SourceSyncError,
  type ListContext,
  type SourceConnector,
  type SourceItem,
  type SourceListing,
  type SourceToSync,
} from '../SourceConnector.ts';
import type { ItemError, SourceSettings } from '../sourceRepository.ts';
import { ConfluenceClient } from './ConfluenceClient.ts';
import { ConfluenceReaders } from './confluenceReaders.ts';
import { confluenceSettingsSchema, isCloud, type ConfluenceSettings } from './confluenceSettings.ts';
import type { ContentSummary } from './confluenceTypes.ts';
import { pageHtml } from './pageHtml.ts';

/**
 * Confluence Cloud and Data Center: the chosen spaces' pages (and blog posts, and attachments
 * through the same pipeline as uploads), each with its place in the page tree as its heading
 * path and its readers from the space's permissions and the page's restrictions. Every sync
 * lists the spaces by CQL (ids, versions, ancestors, restrictions: no bodies), so deletions,
 * moves and permission changes are seen; only pages whose version or place changed are read.
 */
export class ConfluenceConnector implements SourceConnector {
  readonly kind = 'confluence' as const;
  readonly syncsPermissions = true;

  async validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings> {
    const parsed = parseSettings(confluenceSettingsSchema, settings, 'Confluence');
    await checkedAtlassianSite(url, limits, 'confluence');
    return parsed;
  }

  async list(source: SourceToSync, context: ListContext): Promise<SourceListing> {
    const settings = confluenceSettingsSchema.parse(source.settings);
    const site = new URL(source.url.replace(/\/+$/, '').replace(/\/wiki$/, ''));
    const cloud = isCloud(site, settings);
    const api = atlassianApi(source, context, { site, tokenUrl: settings.tokenUrl, otherHosts: cloud ? ['api.media.atlassian.com'] : [] });
    const client = new ConfluenceClient(api, site.href.replace(/\/$/, ''), cloud);
    const readers = new ConfluenceReaders(client, cloud, settings.userEmailDomain, settings.spacePermissions);
    const items: SourceItem[] = [];
    const skipped: ItemError[] = [];
    // Bodies of pages changed since the last sync come in bulk by CQL's lastModified; a content sync only.
    const since = context.mode === 'content' ? (source.cursor as { listedAt?: string } | null)?.listedAt : undefined;
    for (const space of settings.spaces) {
      await this.listSpace(client, readers, settings, space, { items, skipped, context, since });
    }
    return { items, skipped, notes: readers.notes, cursor: { spaces: settings.spaces, listedAt: new Date().toISOString() } };
  }

  async forget(): Promise<void> {}

  private async listSpace(
    client: ConfluenceClient,
    readers: ConfluenceReaders,
    settings: ConfluenceSettings,
    space: string,
    into: { items: SourceItem[]; skipped: ItemError[]; context: ListContext; since: string | undefined },
  ): Promise<void> {
    const refused = containerRefused(
      'space_not_found',
      (status) => `The space ${space} was not found, or the source's account may not read it (${status}).`,
    );
    const spaceReaders = await readers.ofSpace(space).catch(refused);
    const pages = await this.pagesOf(client, settings, space, into.context.limits.maxItems - into.items.length).catch(refused);
    const bodies = await this.bodiesSince(client, settings, space, into.since, pages, into.context.known);
    const pageReaders = new Map<string, DocumentReader[]>();
    for (const page of pages.values()) {
      const who = await readers.ofPage(page, pages, spaceReaders);
      pageReaders.set(page.id, who);
      into.items.push(this.pageItem(client, space, page, who, bodies.get(page.id)));
    }
    if (!settings.attachments) return;
    for await (const attachment of client.attachmentsOf(space)) {
      const pageId = attachment.container?.id;
      const who = pageId ? pageReaders.get(pageId) : undefined;
      // An attachment of a page that is not synced (archived, or a type left out) is not synced either.
      if (!who || !attachment._links?.download) continue;
      const size = attachment.extensions?.fileSize;
      if (size !== undefined && size > into.context.limits.maxFileBytes) {
        into.skipped.push({
          item: `attachment:${attachment.id}`,
          code: 'file_too_large',
          message: `Over CONNECTOR_MAX_FILE_BYTES (${size} bytes).`,
        });
        continue;
      }
      into.items.push(this.attachmentItem(client, space, attachment, pages.get(pageId!)!, who));
    }
  }

  /** The space's current pages (and blog posts) by id, at most `room` of them. */
  private async pagesOf(client: ConfluenceClient, settings: ConfluenceSettings, space: string, room: number) {
    const pages = new Map<string, ContentSummary>();
    for (const type of settings.blogPosts ? (['page', 'blogpost'] as const) : (['page'] as const)) {
      for await (const page of client.contentOf(space, type)) {
        if (page.status && page.status !== 'current') continue;
        pages.set(page.id, page);
        if (pages.size > room) {
          throw new SourceSyncError('too_many_items', `The spaces hold more than CONNECTOR_MAX_ITEMS pages.`);
        }
      }
    }
    return pages;
  }

  /**
   * The bodies of the pages whose version changed, read in bulk by CQL (`lastModified` from the
   * day before the last sync); a page it misses (moved, so its version number is the same) is
   * read on its own. Nothing is asked on a first sync or when no page changed.
   */
  private async bodiesSince(
    client: ConfluenceClient,
    settings: ConfluenceSettings,
    space: string,
    since: string | undefined,
    pages: ReadonlyMap<string, ContentSummary>,
    known: ReadonlyMap<string, string>,
  ): Promise<Map<string, string>> {
    const bodies = new Map<string, string>();
    const changed = [...pages.values()].filter((page) => !known.get(`page:${page.id}`)?.startsWith(`${page.version?.number ?? 0}|`));
    if (!since || changed.length === 0) return bodies;
    const day = new Date(Date.parse(since) - 86_400_000).toISOString().slice(0, 10);
    for (const type of settings.blogPosts ? (['page', 'blogpost'] as const) : (['page'] as const)) {
      for await (const page of client.modifiedSince(space, type, day)) {
        const listed = pages.get(page.id);
        // A page edited again between the two queries is read on its own, at the version listed.
        if (listed && page.version?.number === listed.version?.number && page.body?.storage) bodies.set(page.id, page.body.storage.value);
      }
    }
    return bodies;
  }

  private pageItem(client: ConfluenceClient, space: string, page: ContentSummary, readers: DocumentReader[], body?: string): SourceItem {
    const ancestors = (page.ancestors ?? []).map((ancestor) => ancestor.title);
    const link = page._links?.webui ? `${client.wikiBase}${page._links.webui}` : undefined;
    return {
      key: `page:${page.id}`,
      // A move changes no version number: the page's place is part of its version.
      version: `${page.version?.number ?? 0}|${ancestors.join('/')}|${page.title}`,
      filename: `${page.title.replace(/[\\/]+/g, ' ').slice(0, 150) || page.id}.html`,
      origin: { location: `${client.wikiBase}/spaces/${space}`, path: [...ancestors, page.title].join(' / '), link },
      readers,
      read: async () => {
        const storage = body ?? (await client.body(page.id)).body?.storage?.value ?? '';
        return Buffer.from(pageHtml(page.space?.name ?? space, ancestors, page.title, storage));
      },
    };
  }

  private attachmentItem(
    client: ConfluenceClient,
    space: string,
    attachment: ContentSummary,
    page: ContentSummary,
    readers: DocumentReader[],
  ): SourceItem {
    const trail = [...(page.ancestors ?? []).map((ancestor) => ancestor.title), page.title];
    return {
      key: `attachment:${attachment.id}`,
      version: String(attachment.version?.number ?? 0),
      filename: attachment.title,
      origin: {
        location: `${client.wikiBase}/spaces/${space}`,
        path: [...trail, attachment.title].join(' / '),
        link: attachment._links?.webui ? `${client.wikiBase}${attachment._links.webui}` : undefined,
      },
      readers,
      read: (maxBytes) => client.download(attachment._links!.download!, maxBytes),
    };
  }
}
