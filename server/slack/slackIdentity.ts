import type { SlackUser } from './SlackApi.ts';

export type SlackMapping = { email: string } | { unmapped: string };

/**
 * Whether a Slack account may act as the Tapeout user with its email. A profile email is only
 * worth trusting from a full member of our own workspace whose address Slack has confirmed:
 * anybody can show an admin's address on a guest account, a bot, or an account in another
 * organisation reached through Slack Connect. Everyone else is answered as unmapped (everyone's
 * grants only), and the reason is logged.
 */
export function slackMapping(user: SlackUser | undefined, workspaceTeamId: string | undefined, allowGuests: boolean): SlackMapping {
  if (!user) return { unmapped: 'Slack did not describe the account' };
  if (!workspaceTeamId) return { unmapped: "the bot's own workspace is unknown (auth.test failed)" };
  if (user.deleted) return { unmapped: 'the account is deactivated' };
  if (user.isBot) return { unmapped: 'the account is a bot' };
  if (user.teamId !== workspaceTeamId || user.isStranger) return { unmapped: 'the account belongs to another workspace (Slack Connect)' };
  if (user.isGuest && !allowGuests) return { unmapped: 'the account is a guest (SLACK_ALLOW_GUESTS is off)' };
  if (!user.email) return { unmapped: 'Slack shares no email for the account' };
  if (!user.emailConfirmed) return { unmapped: "the account's email is not confirmed" };
  return { email: user.email };
}
