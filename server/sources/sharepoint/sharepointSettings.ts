import { z } from 'zod';

export const sharepointSettingsSchema = z
  .object({
    /** Document libraries (drives) of the site to sync, by name ("Documents", "Design reviews"); all of them when absent. */
    libraries: z.array(z.string().min(1).max(255)).max(100).optional(),
    /** Microsoft Graph's endpoint (a national cloud's, or a test stand-in's). */
    graphUrl: z.string().url().default('https://graph.microsoft.com/v1.0'),
    /** The Microsoft identity platform's token endpoint; `{tenant}` is the credentials' tenantId. */
    tokenUrl: z.string().url().default('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token'),
  })
  .strict();
export type SharepointSettings = z.infer<typeof sharepointSettingsSchema>;
