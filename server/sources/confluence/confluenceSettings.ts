import { z } from 'zod';

const spaceKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^~?[A-Za-z0-9_-]+$/, 'a space key (letters and digits, as in /spaces/KEY)');

export const confluenceSettingsSchema = z
  .object({
    /** The spaces to sync, by key. */
    spaces: z.array(spaceKey).min(1, 'name at least one space key').max(100),
    /** Atlassian Cloud (REST v2 and CQL) or Data Center (REST); taken from the URL when absent (*.atlassian.net and api.atlassian.com are Cloud). */
    deployment: z.enum(['cloud', 'datacenter']).optional(),
    /** Whether pages' attachments (PDF, DOCX, …) are synced too. */
    attachments: z.boolean().default(true),
    /**
     * Whether a page without restrictions is limited to who may view its space (Cloud's space
     * permissions, groups matched to Tapeout's). Off: such pages are read by whoever reads the
     * collection, and only restricted pages are narrowed.
     */
    spacePermissions: z.boolean().default(true),
    /** Blog posts besides pages. */
    blogPosts: z.boolean().default(false),
    /**
     * Data Center's REST API names restricted users by username, never by email: with this set,
     * `alice` is matched as alice@<domain>. Without it such restrictions match nobody (fail closed).
     */
    userEmailDomain: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain such as example.com')
      .optional(),
    /** For OAuth 2.0 (3LO): the token endpoint (Atlassian's unless a test stand-in). */
    tokenUrl: z.string().url().default('https://auth.atlassian.com/oauth/token'),
  })
  .strict();
export type ConfluenceSettings = z.infer<typeof confluenceSettingsSchema>;

/** Whether a site is Atlassian Cloud: by the setting, else by its host. */
export function isCloud(site: URL, settings: ConfluenceSettings): boolean {
  if (settings.deployment) return settings.deployment === 'cloud';
  return site.hostname.endsWith('.atlassian.net') || site.hostname === 'api.atlassian.com';
}
