import type { SourceApi } from '../SourceApi.ts';
import { SourceApiError } from '../SourceApi.ts';
import type { ContentPage, ContentSummary, SpacePermission, V2List } from './confluenceTypes.ts';

/** Pages of a listing requested at once: CQL search caps expanded results at 50 on Cloud. */
const pageSize = 50;
const readRestrictions = 'restrictions.read.restrictions.user,restrictions.read.restrictions.group';

/**
 * Confluence's REST API as the connector uses it. The v1 API (`/rest/api`, on Cloud under
 * `/wiki`) serves CQL search, bodies and content restrictions on both deployments; Cloud's v2
 * API (`/wiki/api/v2`) serves spaces and their permissions, which v1 does not list there. Each
 * listing follows `_links.next` to the end.
 */
export class ConfluenceClient {
  /** `base`: the site (https://acme.atlassian.net, https://api.atlassian.com/ex/confluence/<cloudId>, or a Data Center URL with its context path). */
  constructor(
    private readonly api: SourceApi,
    private readonly base: string,
    private readonly cloud: boolean,
  ) {}

  /** Where v1 paths and `_links.webui` links start. */
  get wikiBase(): string {
    return this.cloud ? `${this.base}/wiki` : this.base;
  }

  /** Pages (or blog posts) of a space, with version, ancestors and read restrictions, by CQL. */
  contentOf(spaceKey: string, type: 'page' | 'blogpost'): AsyncGenerator<ContentSummary> {
    return this.search(`space = "${spaceKey}" AND type = ${type}`, `version,ancestors,space,${readRestrictions}`);
  }

  /**
   * Pages (or blog posts) of a space modified on or after a day, with their bodies: CQL's
   * `lastModified` compares in the account's time zone, so the caller asks from the day before.
   */
  modifiedSince(spaceKey: string, type: 'page' | 'blogpost', day: string): AsyncGenerator<ContentSummary> {
    return this.search(`space = "${spaceKey}" AND type = ${type} AND lastModified >= "${day}"`, 'version,body.storage');
  }

  /** The space's attachments, each with the page (container) it belongs to. */
  attachmentsOf(spaceKey: string): AsyncGenerator<ContentSummary> {
    return this.search(`space = "${spaceKey}" AND type = attachment`, 'version,container');
  }

  async body(id: string): Promise<ContentSummary> {
    return this.api.json<ContentSummary>(`${this.wikiBase}/rest/api/content/${encodeURIComponent(id)}?expand=body.storage,version`);
  }

  /** An attachment's bytes (Cloud redirects the download to its media service). */
  download(link: string, maxBytes: number): Promise<Buffer> {
    return this.api.file(`${this.wikiBase}${link}`, maxBytes);
  }

  /** Cloud only: the space's permissions (v2), `read` ones being who may view the space. */
  async *spacePermissions(spaceKey: string): AsyncGenerator<SpacePermission> {
    const spaces = await this.api.json<V2List<{ id: string; key: string }>>(
      `${this.base}/wiki/api/v2/spaces?keys=${encodeURIComponent(spaceKey)}&limit=1`,
    );
    const space = spaces.results.find((candidate) => candidate.key === spaceKey);
    if (!space) throw new SourceApiError(404, `The space ${spaceKey} was not found (or the account cannot see it).`);
    let next: string | undefined = `${this.base}/wiki/api/v2/spaces/${space.id}/permissions?limit=250`;
    while (next) {
      const page: V2List<SpacePermission> = await this.api.json(next);
      yield* page.results;
      next = page._links?.next ? resolveNext(this.base, page._links.next) : undefined;
    }
  }

  /** A Cloud account's email, when its privacy settings (or the app's scope) let it be read. */
  async emailOf(accountId: string): Promise<string | undefined> {
    try {
      const user = await this.api.json<{ email?: string }>(`${this.wikiBase}/rest/api/user?accountId=${encodeURIComponent(accountId)}`);
      return user.email || undefined;
    } catch (error) {
      if (error instanceof SourceApiError && (error.status === 404 || error.status === 403)) return undefined;
      throw error;
    }
  }

  /** A Cloud group's name by its id (space permissions name groups by id only). */
  async groupName(groupId: string): Promise<string | undefined> {
    try {
      const group = await this.api.json<{ name?: string }>(`${this.wikiBase}/rest/api/group/by-id?id=${encodeURIComponent(groupId)}`);
      return group.name;
    } catch (error) {
      if (error instanceof SourceApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async *search(cql: string, expand: string): AsyncGenerator<ContentSummary> {
    let next: string | undefined =
      `${this.wikiBase}/rest/api/content/search?cql=${encodeURIComponent(cql)}&limit=${pageSize}&expand=${encodeURIComponent(expand)}`;
    while (next) {
      const page: ContentPage = await this.api.json(next);
      yield* page.results;
      // `next` is relative to the site's base (which carries the context path, /wiki on Cloud).
      next = page._links?.next ? resolveNext(this.wikiBase, page._links.next) : undefined;
    }
  }
}

/** A `next` link: relative to the base (with its context path) as Atlassian documents it, or absolute as some versions send it (checked like any request). */
function resolveNext(base: string, next: string): string {
  return /^https?:\/\//i.test(next) ? next : `${base}${next}`;
}
