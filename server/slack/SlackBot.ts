import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { Router } from 'express';
import type { Logger } from '../logging/logger.ts';
import type { Services } from '../services.ts';
import type { SlackApi } from './SlackApi.ts';
import { SlackAnswerer, type SlackAnswererDeps } from './SlackAnswerer.ts';
import { SlackEventReceipts } from './SlackEventReceipts.ts';
import { feedbackActionIds } from './slackMessage.ts';
import { verifySlackSignature } from './verifySlackSignature.ts';

/** What these modules use of the composition root. */
export type SlackBotDeps = SlackAnswererDeps & Pick<Services, 'config' | 'conversations' | 'db' | 'logger'>;

export interface SlackBot {
  /** POST /slack/events, for the HTTP Events API; undefined in Socket Mode. */
  router: Router | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const slackEventsPath = '/slack/events';

/**
 * The Slack transport (Bolt): Socket Mode when SLACK_APP_TOKEN is set, else the HTTP Events API
 * at POST /slack/events. Everything Tapeout does with a message lives in SlackAnswerer; this file
 * only turns Slack's events into its calls.
 */
export function createSlackBot(services: SlackBotDeps): SlackBot | undefined {
  const { botToken, appToken, signingSecret, apiUrl } = services.config.slack;
  if (!botToken) return undefined;
  const logger = boltLogger(services.logger.child({ component: 'slack' }));
  const clientOptions = apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {};
  let router: Router | undefined;
  let app: App;
  if (appToken) {
    // Built here rather than by `socketMode: true`, which would not pass SLACK_API_URL to the socket client.
    const receiver = new SocketModeReceiver({ appToken, logger, installerOptions: { clientOptions } });
    app = new App({ token: botToken, receiver, logger, clientOptions });
  } else {
    router = Router();
    router.use(slackEventsPath, ...verifySlackSignature(signingSecret!));
    const receiver = new ExpressReceiver({
      signingSecret: signingSecret!,
      router,
      endpoints: slackEventsPath,
      signatureVerification: false,
      logger,
    });
    app = new App({ token: botToken, receiver, logger, clientOptions });
  }
  const receipts = new SlackEventReceipts(services.db);
  // Checked only for events Tapeout answers (not every message in its channels): a retried or
  // twice-delivered event (another instance may have it) is answered once; a database that
  // cannot say lets the event through.
  const firstDelivery = async (eventId: string) => {
    const first = await receipts.firstDelivery(eventId).catch((error: unknown) => {
      services.logger.warn({ err: error, eventId }, 'Slack event not checked for a repeat delivery');
      return true;
    });
    if (!first) services.logger.info({ eventId }, 'Slack event delivered again; answered already');
    return first;
  };
  const api = slackApiOver(app);
  const answerer = new SlackAnswerer(services, {
    defaultAssistant: services.config.slack.defaultAssistant,
    webUrl: services.config.publicUrl,
    updateIntervalMs: 1000,
    allowGuests: services.config.slack.allowGuests,
  });
  const answerInBackground = (question: Parameters<SlackAnswerer['answer']>[1], onFailure?: (error: Error) => Promise<unknown>) =>
    void answerer.answer(api, question).catch(async (error: Error) => {
      services.logger.error({ err: error }, 'Slack answer failed');
      await onFailure?.(error).catch(() => undefined);
    });

  // `/ask [assistant] question`, answered in the channel for everyone to see.
  app.command('/ask', async ({ command, ack, respond }) => {
    if (!command.text.trim()) return void (await ack({ response_type: 'ephemeral', text: 'Usage: /ask [assistant] your question' }));
    await ack();
    answerInBackground(
      {
        teamId: command.team_id,
        channel: command.channel_id,
        slackUserId: command.user_id,
        text: command.text.trim(),
        ts: undefined,
        threadTs: undefined,
        kind: 'command',
      },
      (error) =>
        respond({
          response_type: 'ephemeral',
          text: `Tapeout could not answer here (${error.message}). Invite the Tapeout app to this channel, or ask in a direct message.`,
        }),
    );
  });

  app.event('app_mention', async ({ event, context, body }) => {
    if (!event.user || !(await firstDelivery(body.event_id))) return;
    answerInBackground({
      teamId: context.teamId ?? '',
      channel: event.channel,
      slackUserId: event.user,
      text: stripMentions(event.text),
      ts: event.ts,
      threadTs: event.thread_ts,
      kind: 'mention',
    });
  });

  app.message(async ({ message, context, body }) => {
    if (message.subtype !== undefined || !('user' in message) || !message.user || !('text' in message)) return;
    const text = message.text ?? '';
    const question = {
      teamId: context.teamId ?? '',
      channel: message.channel,
      slackUserId: message.user,
      text: stripMentions(text),
      ts: message.ts,
      threadTs: message.thread_ts,
    };
    if (message.channel_type === 'im') {
      if (await firstDelivery(body.event_id)) answerInBackground({ ...question, kind: 'direct' });
      return;
    }
    // In channels, a mention arrives as app_mention too; plain replies continue a thread Tapeout is already in.
    if (!message.thread_ts || (context.botUserId && text.includes(`<@${context.botUserId}>`))) return;
    if (await services.conversations.externalThreadExists('slack', `${context.teamId ?? ''}:${message.channel}:${message.thread_ts}:`)) {
      if (await firstDelivery(body.event_id)) answerInBackground({ ...question, kind: 'mention' });
    }
  });

  for (const [actionId, rating] of [
    [feedbackActionIds.up, 1],
    [feedbackActionIds.down, -1],
  ] as const) {
    app.action(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      const answerId = 'value' in action ? String(action.value) : '';
      const stored = await answerer.rate(api, body.user.id, answerId, rating);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: stored ? 'Thanks, your feedback was recorded.' : 'Only the person who asked can rate this answer.',
      });
    });
  }

  return {
    router,
    start: async () => {
      if (appToken) await app.start();
    },
    stop: async () => {
      if (appToken) await app.stop();
    },
  };
}

/** SlackApi over Bolt's Web API client; the only place that knows Slack's response shapes. */
function slackApiOver(app: App): SlackApi {
  const client = app.client;
  return {
    workspaceTeamId: async () => (await client.auth.test()).team_id ?? '',
    user: async (id) => {
      const user = (await client.users.info({ user: id })).user;
      if (!user) return undefined;
      return {
        id,
        teamId: user.team_id,
        deleted: user.deleted === true,
        isBot: user.is_bot === true || user.is_app_user === true,
        isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
        isStranger: (user as { is_stranger?: boolean }).is_stranger === true,
        email: user.profile?.email,
        emailConfirmed: user.is_email_confirmed === true,
      };
    },
    openDirectMessage: async (user) => {
      const channel = (await client.conversations.open({ users: user })).channel?.id;
      if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
      return channel;
    },
    isDirectMessageWith: async (channel, user) => {
      // Slack's typings omit `user`, which conversations.info returns for a direct message.
      const info = (await client.conversations.info({ channel })).channel as { is_im?: boolean; user?: string } | undefined;
      return info?.is_im === true && info.user === user;
    },
    post: async ({ channel, threadTs, text, blocks }) => ({
      ts: (await client.chat.postMessage({ channel, thread_ts: threadTs, text, blocks: blocks as never })).ts!,
    }),
    update: async ({ channel, ts, text, blocks }) => void (await client.chat.update({ channel, ts, text, blocks: blocks as never })),
    postEphemeral: async ({ channel, user, threadTs, text }) =>
      void (await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) })),
  };
}

/** `<@U123>` mentions (of the bot or anybody) are not part of the question. */
function stripMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '').trim();
}

function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...messages: unknown[]) => logger.debug(messages.map(String).join(' ')),
    info: (...messages: unknown[]) => logger.info(messages.map(String).join(' ')),
    warn: (...messages: unknown[]) => logger.warn(messages.map(String).join(' ')),
    error: (...messages: unknown[]) => logger.error(messages.map(String).join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
