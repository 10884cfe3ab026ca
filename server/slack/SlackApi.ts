/** What Tapeout's Slack logic needs from Slack's Web API; SlackBot implements it over Bolt's client. */
export interface SlackApi {
  /** The workspace the bot token belongs to (auth.test's team_id). */
  workspaceTeamId(): Promise<string>;
  /** A Slack account as users.info describes it, or undefined when Slack does not know it. */
  user(slackUserId: string): Promise<SlackUser | undefined>;
  /** The id of the bot's direct-message channel with a user (conversations.open). */
  openDirectMessage(slackUserId: string): Promise<string>;
  /** Whether `channel` is the bot's direct-message channel with this user, and nobody else (conversations.info). */
  isDirectMessageWith(channel: string, slackUserId: string): Promise<boolean>;
  post(message: SlackMessage & { channel: string; threadTs?: string }): Promise<{ ts: string }>;
  update(message: SlackMessage & { channel: string; ts: string }): Promise<void>;
  /** A message only `user` sees, in a channel (chat.postEphemeral). */
  postEphemeral(message: { channel: string; user: string; threadTs?: string; text: string }): Promise<void>;
}

/** The fields of Slack's user object that decide whether an account may act as a Tapeout user. */
export interface SlackUser {
  id: string;
  /** The account's home workspace; another one's for Slack Connect users. */
  teamId: string | undefined;
  deleted: boolean;
  isBot: boolean;
  /** Multi-channel guest (is_restricted) or single-channel guest (is_ultra_restricted). */
  isGuest: boolean;
  /** Slack marks users of other organisations met through Slack Connect as strangers. */
  isStranger: boolean;
  email: string | undefined;
  emailConfirmed: boolean;
}

export interface SlackMessage {
  /** Plain fallback text (notifications, screen readers). */
  text: string;
  blocks?: object[];
}

/** A question as it arrived from Slack, whichever way: mention, direct message, thread reply. */
export interface SlackQuestion {
  teamId: string;
  channel: string;
  slackUserId: string;
  text: string;
  /** The message's own ts (none for a slash command), and the thread it belongs to. */
  ts: string | undefined;
  threadTs: string | undefined;
  /**
   * `mention` (or a reply in a thread Tapeout is in): answered in the message's thread;
   * `direct`: a direct message, answered in place; `command`: /ask, answered in the channel,
   * and replies in the answer's thread continue it.
   */
  kind: 'mention' | 'direct' | 'command';
}
