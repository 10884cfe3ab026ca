import type { Citation } from '../answering/AssistantAnswerer.ts';
import type { Principal } from '../auth/Principal.ts';
import { runChatTurn, type ChatSink } from '../conversations/runChatTurn.ts';
import { describeError } from '../http/errorHandler.ts';
import type { Services } from '../services.ts';
import type { SlackApi, SlackQuestion } from './SlackApi.ts';
import { answerMessage, errorMessage } from './slackMessage.ts';
import { ThrottledUpdate } from './ThrottledUpdate.ts';

export interface SlackAnswererOptions {
  defaultAssistant: string | undefined;
  webUrl: string;
  /** Least time between two edits of one answer (Slack allows about one chat.update a second). */
  updateIntervalMs: number;
}

/**
 * Answers Slack questions as the web chat does: the Slack user is mapped to a Tapeout user by the
 * email on their profile (so they get exactly their grants) or, unmapped, to an anonymous
 * principal that reads only what is granted to `everyone`. Each Slack user in a thread (or DM)
 * has their own conversation, so one person's history never feeds another's answer.
 */
export class SlackAnswerer {
  constructor(
    private readonly services: Services,
    private readonly options: SlackAnswererOptions,
  ) {}

  async principalFor(api: SlackApi, slackUserId: string): Promise<Principal> {
    const email = await api.userEmail(slackUserId).catch((error: unknown) => {
      this.services.logger.warn({ err: error, slackUserId }, 'users.info failed; answering as an unmapped user');
      return undefined;
    });
    const user = email ? await this.services.users.findByEmail(email) : undefined;
    return user ? { userId: user.id, email: user.email, role: user.role } : { userId: null, email: null, role: 'member' };
  }

  /** The channel's bound assistant, else one named at the start of the message ("hr-policy: …"), else the default. */
  async chooseAssistant(principal: Principal, channel: string, text: string): Promise<{ slug: string; question: string } | undefined> {
    const bound = await this.services.slackBindings.assistantFor(channel);
    if (bound) return { slug: bound, question: text };
    const assistants = await this.services.assistants.list(principal);
    const lower = text.toLowerCase();
    for (const assistant of assistants) {
      for (const name of [assistant.slug, assistant.name.toLowerCase()]) {
        if (lower.startsWith(name) && /^[\s:,.!?-]|^$/.test(lower.slice(name.length, name.length + 1))) {
          return { slug: assistant.slug, question: text.slice(name.length).replace(/^[\s:,.!?-]+/, '') || text };
        }
      }
    }
    const fallback = this.options.defaultAssistant;
    return fallback && assistants.some((a) => a.slug === fallback) ? { slug: fallback, question: text } : undefined;
  }

  async answer(api: SlackApi, question: SlackQuestion): Promise<void> {
    const threadTs = question.kind === 'mention' ? (question.threadTs ?? question.ts) : question.threadTs;
    const where = { channel: question.channel, ...(threadTs ? { threadTs } : {}) };
    const log = this.services.logger.child({ slackChannel: question.channel, slackUser: question.slackUserId });
    const principal = await this.principalFor(api, question.slackUserId);
    const choice = await this.chooseAssistant(principal, question.channel, question.text);
    if (!choice || !choice.question.trim()) {
      await api.post({ ...where, ...errorMessage(choice ? 'Ask a question after the assistant\'s name.' : 'No assistant answers here yet: name one at the start of your message, or ask an admin to set SLACK_DEFAULT_ASSISTANT.') });
      return;
    }
    const view = { text: '', citations: [] as Citation[], extractive: false, notice: null as string | null, answerId: undefined as string | undefined, webUrl: this.options.webUrl };
    const placeholder = await api.post({ ...where, ...answerMessage(view) });
    const edit = () => api.update({ channel: question.channel, ts: placeholder.ts, ...answerMessage(view) });
    const updates = new ThrottledUpdate(edit, this.options.updateIntervalMs, (error) => log.warn({ err: error }, 'chat.update failed'));
    const sink: ChatSink = {
      started: () => undefined,
      citations: (citations) => (view.citations = citations),
      mode: (mode, notice) => {
        view.extractive = mode === 'extractive';
        view.notice = notice ?? null;
      },
      token: (text) => {
        view.text += text;
        updates.request();
      },
      finished: (result) => {
        view.answerId = result.answerId;
        if (result.status === 'failed' && result.error) view.notice = result.error.message;
      },
    };
    try {
      // A slash command's answer starts a thread of its own.
      const thread = question.kind === 'command' ? placeholder.ts : (threadTs ?? 'direct');
      const ref = `${question.teamId}:${question.channel}:${thread}:${question.slackUserId}`;
      const conversation = await this.services.conversations.forExternalThread(principal, choice.slug, 'slack', ref);
      await runChatTurn(this.services, principal, conversation.id, choice.question, sink, new AbortController().signal);
      await updates.flush();
    } catch (error) {
      const { status, body } = describeError(error);
      if (status >= 500) log.error({ err: error }, 'Slack question failed');
      else log.warn({ code: body.error.code, reason: body.error.message }, 'Slack question refused');
      await updates.flush();
      await api.update({ channel: question.channel, ts: placeholder.ts, ...errorMessage(body.error.message) });
    }
  }

  /** Feedback from an answer's buttons, stored on the answer when the clicking user asked it. */
  async rate(api: SlackApi, slackUserId: string, answerId: string, rating: 1 | -1): Promise<boolean> {
    // Only the asker rates an answer: each Slack user has their own conversation in a thread.
    const ref = await this.services.conversations.externalRefOfMessage(answerId);
    if (!ref?.endsWith(`:${slackUserId}`)) return false;
    const principal = await this.principalFor(api, slackUserId);
    try {
      await this.services.conversations.rate(principal, answerId, rating, undefined);
      return true;
    } catch (error) {
      this.services.logger.warn({ err: error, slackUserId, answerId }, 'Slack feedback refused');
      return false;
    }
  }
}
