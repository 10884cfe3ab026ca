import type { SourceLimits } from '../../config/index.ts';
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
import { issueHtml } from './issueHtml.ts';
import { JiraClient } from './JiraClient.ts';
import { JiraReaders } from './jiraReaders.ts';
import { isCloud, jiraSettingsSchema, type JiraSettings } from './jiraSettings.ts';

/** The fields a listing asks for: enough for the version and the readers, none of the bodies. */
const listedFields = ['updated', 'security', 'reporter', 'assignee', 'summary'];

/**
 * Jira Cloud and Data Center: the chosen projects' issues, each one document (summary, status,
 * the chosen fields, description and comments), with readers from the project's Browse
 * Projects permission or the issue's security level. Every sync lists the projects' issues by
 * JQL with a few fields; an issue is read in full only when its `updated` changed.
 */
export class JiraConnector implements SourceConnector {
  readonly kind = 'jira' as const;
  readonly syncsPermissions = true;

  async validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings> {
    const parsed = parseSettings(jiraSettingsSchema, settings, 'Jira');
    await checkedAtlassianSite(url, limits, 'jira');
    return parsed;
  }

  async list(source: SourceToSync, context: ListContext): Promise<SourceListing> {
    const settings = jiraSettingsSchema.parse(source.settings);
    const site = new URL(source.url.replace(/\/+$/, ''));
    const api = atlassianApi(source, context, { site, tokenUrl: settings.tokenUrl });
    const client = new JiraClient(api, site.href.replace(/\/$/, ''), isCloud(site, settings));
    const items: SourceItem[] = [];
    const notes: ItemError[] = [];
    for (const project of settings.projects) {
      const readers = new JiraReaders(client, project, notes);
      try {
        for await (const issue of client.issuesOf(this.jql(project, settings), listedFields)) {
          // The JQL clause is the user's: an issue of another project it let in would get this project's readers.
          if (!issue.key.startsWith(`${project}-`)) continue;
          if (items.length >= context.limits.maxItems) {
            throw new SourceSyncError(
              'too_many_items',
              `The projects hold more than CONNECTOR_MAX_ITEMS (${context.limits.maxItems}) issues.`,
            );
          }
          items.push(this.issueItem(client, project, issue.key, issue.fields.updated ?? '', await readers.ofIssue(issue), settings));
        }
      } catch (error) {
        containerRefused(
          'project_not_found',
          (status) => `The project ${project} was not found, or the source's account may not browse it (${status}).`,
          [400, 403, 404],
        )(error);
      }
    }
    return { items, skipped: [], notes, cursor: { projects: settings.projects, listedAt: new Date().toISOString() } };
  }

  async forget(): Promise<void> {}

  private jql(project: string, settings: JiraSettings): string {
    const narrowed = settings.jql ? ` AND (${settings.jql})` : '';
    return `project = "${project}"${narrowed} ORDER BY key ASC`;
  }

  private issueItem(
    client: JiraClient,
    project: string,
    key: string,
    updated: string,
    readers: SourceItem['readers'],
    settings: JiraSettings,
  ): SourceItem {
    return {
      key: `issue:${key}`,
      version: updated,
      filename: `${key}.html`,
      origin: { location: `${client.base}/projects/${project}`, path: key, link: `${client.base}/browse/${key}` },
      readers,
      read: async () => Buffer.from(issueHtml(project, await client.issue(key), settings.fields, settings.comments)),
    };
  }
}
