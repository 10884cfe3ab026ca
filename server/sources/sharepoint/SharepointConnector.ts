import type { SourceLimits } from '../../config/index.ts';
import type { DocumentReader } from '../../corpus/documentReaders.ts';
import { ValidationError } from '../../errors.ts';
import { ClientCredentialsToken } from '../oauthTokens.ts';
import { containerRefused, fixedAuthorization, SourceApi, SourceApiError } from '../SourceApi.ts';
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
import { checkedSourceUrl } from '../sourceUrl.ts';
import { DriveState, type DriveCursor } from './DriveState.ts';
import type { DeltaPage, Permission } from './graphTypes.ts';
import { readersOfPermissions } from './graphReaders.ts';
import { sharepointSettingsSchema, type SharepointSettings } from './sharepointSettings.ts';

interface Cursor {
  drives: Record<string, DriveCursor>;
}

/**
 * SharePoint Online sites and OneDrive drives through Microsoft Graph, app-only (client
 * credentials with a secret or a certificate). Each document library is followed with a delta
 * query: the first sync walks it, later ones ask only for what changed since the kept
 * deltaLink. Files go through the pipeline as uploads do; readers come from each item's
 * permissions, read for the files that changed, and for every file on a permission-only sync.
 */
export class SharepointConnector implements SourceConnector {
  readonly kind = 'sharepoint' as const;
  readonly syncsPermissions = true;

  async validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings> {
    const parsed = parseSettings(sharepointSettingsSchema, settings, 'SharePoint');
    const site = await checkedSourceUrl(url, limits, 'https://contoso.sharepoint.com/sites/Hardware');
    if (site.protocol !== 'https:' && !limits.allowedHosts.includes(site.hostname)) {
      throw new ValidationError('A SharePoint site is reached over https.');
    }
    return parsed;
  }

  async list(source: SourceToSync, context: ListContext): Promise<SourceListing> {
    const settings = sharepointSettingsSchema.parse(source.settings);
    const graph = this.graphOf(source, settings, context);
    const site = new URL(source.url);
    const siteId = await graph
      .json<{ id: string }>(siteAddress(settings.graphUrl, site))
      .catch(
        containerRefused(
          'site_not_found',
          (status) =>
            `The site ${source.url} was not found, or the app may not read it (${status}): grant it Sites.Read.All or Sites.Selected.`,
        ),
      );
    const drives = await graph.json<{ value: { id: string; name: string; webUrl?: string }[] }>(
      `${settings.graphUrl}/sites/${siteId.id}/drives`,
    );
    const chosen = settings.libraries ? drives.value.filter((drive) => settings.libraries!.includes(drive.name)) : drives.value;
    const missing = (settings.libraries ?? []).filter((name) => !drives.value.some((drive) => drive.name === name));
    if (missing.length > 0) throw new SourceSyncError('library_not_found', `The site has no document library named ${missing.join(', ')}.`);
    const previous = (source.cursor as Cursor | null)?.drives ?? {};
    const cursor: Cursor = { drives: {} };
    const items: SourceItem[] = [];
    const skipped: ItemError[] = [];
    const notes: ItemError[] = [];
    for (const drive of chosen) {
      const state = new DriveState(previous[drive.id]);
      await this.followDelta(graph, settings, drive.id, state, context.signal);
      cursor.drives[drive.id] = state.cursor();
      for (const file of state.files()) {
        if (items.length >= context.limits.maxItems)
          throw new SourceSyncError('too_many_items', `More than CONNECTOR_MAX_ITEMS (${context.limits.maxItems}) files.`);
        if (file.size > context.limits.maxFileBytes) {
          skipped.push({ item: file.path, code: 'file_too_large', message: `Over CONNECTOR_MAX_FILE_BYTES (${file.size} bytes).` });
          continue;
        }
        const key = `${drive.id}:${file.id}`;
        const changed = context.known.get(key) !== file.cTag;
        // Permissions are read for files whose content changed (and for all on a permission-only
        // sync); unchanged files keep the readers the last permission sync gave them.
        const readers =
          context.mode === 'permissions' || changed
            ? readersOfPermissions(await this.permissions(graph, settings, drive.id, file.id), file.path, notes)
            : undefined;
        items.push(this.fileItem(graph, settings, drive, file, key, readers));
      }
    }
    return { items, skipped, notes, cursor };
  }

  async forget(): Promise<void> {}

  private graphOf(source: SourceToSync, settings: SharepointSettings, context: ListContext): SourceApi {
    const oauth = source.credentials?.oauth;
    if (!oauth?.tenantId) {
      throw new SourceSyncError(
        'credentials_unavailable',
        'A SharePoint source needs an OAuth client: tenantId, clientId and a clientSecret or certificate.',
      );
    }
    const tokenUrl = settings.tokenUrl.replace('{tenant}', encodeURIComponent(oauth.tenantId));
    const graphHost = new URL(settings.graphUrl).host;
    // Downloads redirect to the tenant's own SharePoint hosts (pre-authorised URLs).
    const hosts = [graphHost, new URL(tokenUrl).host, new URL(source.url).host, '*.sharepoint.com'];
    const common = { hosts, allowedHosts: context.limits.allowedHosts, signal: context.signal };
    const bare = new SourceApi({ ...common, auth: fixedAuthorization(undefined) });
    const scope = `${new URL(settings.graphUrl).origin}/.default`;
    return new SourceApi({ ...common, auth: new ClientCredentialsToken(bare, tokenUrl, oauth, scope) });
  }

  /** Follows the drive's delta from the kept deltaLink (or from the start) to a new deltaLink. */
  private async followDelta(graph: SourceApi, settings: SharepointSettings, driveId: string, state: DriveState, signal: AbortSignal) {
    let next: string | undefined = state.deltaLink ?? `${settings.graphUrl}/drives/${driveId}/root/delta`;
    while (next) {
      signal.throwIfAborted();
      let page: DeltaPage;
      try {
        page = await graph.json<DeltaPage>(next);
      } catch (error) {
        // 410 Gone: the delta token expired; Graph asks for a walk from the start.
        if (error instanceof SourceApiError && error.status === 410 && state.deltaLink) {
          state.restart();
          next = `${settings.graphUrl}/drives/${driveId}/root/delta`;
          continue;
        }
        throw error;
      }
      for (const item of page.value) state.apply(item);
      if (page['@odata.deltaLink']) state.deltaLink = page['@odata.deltaLink'];
      next = page['@odata.nextLink'];
    }
  }

  private async permissions(graph: SourceApi, settings: SharepointSettings, driveId: string, itemId: string): Promise<Permission[]> {
    const permissions: Permission[] = [];
    let next: string | undefined = `${settings.graphUrl}/drives/${driveId}/items/${itemId}/permissions`;
    while (next) {
      const page: { value: Permission[]; '@odata.nextLink'?: string } = await graph.json(next);
      permissions.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return permissions;
  }

  private fileItem(
    graph: SourceApi,
    settings: SharepointSettings,
    drive: { id: string; name: string; webUrl?: string },
    file: { id: string; path: string; name: string; cTag: string; webUrl?: string },
    key: string,
    readers: DocumentReader[] | undefined,
  ): SourceItem {
    return {
      key,
      version: file.cTag,
      filename: file.name,
      origin: { location: drive.webUrl ?? drive.name, path: `${drive.name}/${file.path}`, link: file.webUrl },
      readers,
      read: (maxBytes) => graph.file(`${settings.graphUrl}/drives/${drive.id}/items/${file.id}/content`, maxBytes),
    };
  }
}

/** Graph's address of a site by its URL: the tenant's root site by host name, any other by host and path (`/sites/{host}:/{path}`). */
function siteAddress(graphUrl: string, site: URL): string {
  const path = decodeURIComponent(site.pathname).replace(/\/+$/, '');
  return path ? `${graphUrl}/sites/${site.hostname}:${encodeURI(path)}` : `${graphUrl}/sites/${site.hostname}`;
}
