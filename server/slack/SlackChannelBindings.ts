import type { Principal } from '../auth/Principal.ts';
import { requireAdmin } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';
import { NotFoundError } from '../errors.ts';

export interface SlackChannelBinding {
  channelId: string;
  channelName: string;
  assistant: string;
  /** The group that reads the channel: its answers use only what every member of it may read. */
  audience: string;
}

/** The binding as the answering path needs it. */
export interface ChannelSettings {
  assistant: string;
  /** Undefined: the channel's audience is everyone. */
  audienceGroupId: string | undefined;
}

const everyone = 'everyone';

/** Which assistant answers in which Slack channel, and for which audience; admins set them in the console. */
export class SlackChannelBindings {
  constructor(private readonly db: Database) {}

  async list(principal: Principal): Promise<SlackChannelBinding[]> {
    requireAdmin(principal, 'list Slack channel bindings');
    const { rows } = await this.db.query<SlackChannelBinding>(
      `SELECT b.channel_id AS "channelId", b.channel_name AS "channelName", a.slug AS assistant, coalesce(g.name, '${everyone}') AS audience
         FROM slack_channel_bindings b JOIN assistants a ON a.id = b.assistant_id LEFT JOIN groups g ON g.id = b.audience_group_id
        ORDER BY b.channel_name, b.channel_id`,
    );
    return rows;
  }

  /** Binds a channel to an assistant, read by the named group (everyone by default). */
  async bind(
    principal: Principal,
    channelId: string,
    channelName: string,
    assistantSlug: string,
    audience = everyone,
  ): Promise<SlackChannelBinding> {
    requireAdmin(principal, 'bind Slack channels');
    return this.db.transaction(async (client) => {
      const { rows: groups } = await client.query<{ id: string; builtin: boolean }>(
        'SELECT id, is_builtin AS builtin FROM groups WHERE name = $1',
        [audience],
      );
      if (!groups[0]) throw new NotFoundError(`Group "${audience}"`);
      // The built-in everyone is stored as NULL, the default.
      const audienceGroupId = audience === everyone && groups[0].builtin ? null : groups[0].id;
      const { rows } = await client.query<SlackChannelBinding>(
        `INSERT INTO slack_channel_bindings (channel_id, channel_name, assistant_id, audience_group_id) SELECT $1, $2, id, $4 FROM assistants WHERE slug = $3
         ON CONFLICT (channel_id) DO UPDATE SET channel_name = EXCLUDED.channel_name, assistant_id = EXCLUDED.assistant_id, audience_group_id = EXCLUDED.audience_group_id
         RETURNING channel_id AS "channelId", channel_name AS "channelName", $3 AS assistant, $5 AS audience`,
        [channelId, channelName, assistantSlug, audienceGroupId, audience],
      );
      if (!rows[0]) throw new NotFoundError(`Assistant "${assistantSlug}"`);
      return rows[0];
    });
  }

  async unbind(principal: Principal, channelId: string): Promise<void> {
    requireAdmin(principal, 'unbind Slack channels');
    const { rowCount } = await this.db.query('DELETE FROM slack_channel_bindings WHERE channel_id = $1', [channelId]);
    if (!rowCount) throw new NotFoundError(`A binding of Slack channel ${channelId}`);
  }

  async settingsFor(channelId: string): Promise<ChannelSettings | undefined> {
    const { rows } = await this.db.query<{ slug: string; audience_group_id: string | null }>(
      'SELECT a.slug, b.audience_group_id FROM slack_channel_bindings b JOIN assistants a ON a.id = b.assistant_id WHERE b.channel_id = $1',
      [channelId],
    );
    return rows[0] && { assistant: rows[0].slug, audienceGroupId: rows[0].audience_group_id ?? undefined };
  }
}
