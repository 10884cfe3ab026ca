export interface SlackChannelBindingResponse {
  channelId: string;
  channelName: string;
  /** The assistant's slug. */
  assistant: string;
  /** The group that reads the channel: its answers use only what every member of it may read. */
  audience: string;
}

/** Takes any binding-shaped value (the bindings live with the Slack integration, which the core never imports) and keeps only these fields. */
export function presentSlackChannelBinding(binding: SlackChannelBindingResponse): SlackChannelBindingResponse {
  return { channelId: binding.channelId, channelName: binding.channelName, assistant: binding.assistant, audience: binding.audience };
}
