/** What Tapeout's Slack logic needs from Slack's Web API; SlackBot implements it over Bolt's client. */
export interface SlackApi {
  /** The email on a Slack user's profile (users.info), when Slack shares it. */
  userEmail(slackUserId: string): Promise<string | undefined>;
  post(message: SlackMessage & { channel: string; threadTs?: string }): Promise<{ ts: string }>;
  update(message: SlackMessage & { channel: string; ts: string }): Promise<void>;
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
