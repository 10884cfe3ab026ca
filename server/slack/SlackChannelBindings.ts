import type { Database } from '../db/Database.ts';
import { NotFoundError } from '../errors.ts';

export interface SlackChannelBinding {
  channelId: string;
  channelName: string;
  assistant: string;
}

/** Which assistant answers in which Slack channel; admins set them in the console. */
export class SlackChannelBindings {
  constructor(private readonly db: Database) {}

  async list(): Promise<SlackChannelBinding[]> {
    const { rows } = await this.db.query<SlackChannelBinding>(
      `SELECT b.channel_id AS "channelId", b.channel_name AS "channelName", a.slug AS assistant
         FROM slack_channel_bindings b JOIN assistants a ON a.id = b.assistant_id ORDER BY b.channel_name, b.channel_id`,
    );
    return rows;
  }

  async bind(channelId: string, channelName: string, assistantSlug: string): Promise<SlackChannelBinding> {
    const { rows } = await this.db.query<SlackChannelBinding>(
      `INSERT INTO slack_channel_bindings (channel_id, channel_name, assistant_id) SELECT $1, $2, id FROM assistants WHERE slug = $3
       ON CONFLICT (channel_id) DO UPDATE SET channel_name = EXCLUDED.channel_name, assistant_id = EXCLUDED.assistant_id
       RETURNING channel_id AS "channelId", channel_name AS "channelName", $3 AS assistant`,
      [channelId, channelName, assistantSlug],
    );
    if (!rows[0]) throw new NotFoundError(`Assistant "${assistantSlug}"`);
    return rows[0];
  }

  async unbind(channelId: string): Promise<void> {
    const { rowCount } = await this.db.query('DELETE FROM slack_channel_bindings WHERE channel_id = $1', [channelId]);
    if (!rowCount) throw new NotFoundError(`A binding of Slack channel ${channelId}`);
  }

  async assistantFor(channelId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ slug: string }>(
      'SELECT a.slug FROM slack_channel_bindings b JOIN assistants a ON a.id = b.assistant_id WHERE b.channel_id = $1',
      [channelId],
    );
    return rows[0]?.slug;
  }
}
