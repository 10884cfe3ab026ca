import { z } from 'zod';

const projectKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Z][A-Z0-9_]*$/, 'a project key in capitals (as in ORION-123)');

export const jiraSettingsSchema = z
  .object({
    /** The projects to sync, by key. */
    projects: z.array(projectKey).min(1, 'name at least one project key').max(100),
    /** Jira Cloud (REST v3) or Data Center (REST v2); taken from the URL when absent (*.atlassian.net and api.atlassian.com are Cloud). */
    deployment: z.enum(['cloud', 'datacenter']).optional(),
    /** Fields shown with each issue besides summary, status, type, priority, assignee and reporter (ids such as customfield_10010, or names as the API returns them). */
    fields: z.array(z.string().min(1).max(100)).max(50).default([]),
    /** Whether comments are part of each issue's document. */
    comments: z.boolean().default(true),
    /** An optional JQL clause ANDed to each project's query (`statusCategory != Done`). */
    jql: z.string().max(2000).optional(),
    /** For OAuth 2.0 (3LO): the token endpoint (Atlassian's unless a test stand-in). */
    tokenUrl: z.string().url().default('https://auth.atlassian.com/oauth/token'),
  })
  .strict();
export type JiraSettings = z.infer<typeof jiraSettingsSchema>;

export function isCloud(site: URL, settings: JiraSettings): boolean {
  if (settings.deployment) return settings.deployment === 'cloud';
  return site.hostname.endsWith('.atlassian.net') || site.hostname === 'api.atlassian.com';
}
