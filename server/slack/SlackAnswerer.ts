import type { NothingFound } from '../answering/AssistantAnswerer.ts';
import { everyoneAudience, type Principal } from '../auth/Principal.ts';
import { beginChatTurn } from '../conversations/runChatTurn.ts';
import type { Services } from '../services.ts';
import type { SlackApi, SlackQuestion } from './SlackApi.ts';
import type { ChannelSettings } from './SlackChannelBindings.ts';
import { slackMapping } from './slackIdentity.ts';
import { errorMessage } from './slackMessage.ts';
import { streamToSlack, type SlackReplyOptions, type StreamToSlackDeps } from './streamToSlack.ts';

/** What these modules use of the composition root. */
export type SlackAnswererDeps = StreamToSlackDeps &
  Pick<Services, 'assistants' | 'chunks' | 'conversations' | 'logger' | 'slackBindings' | 'users'>;

export interface SlackAnswererOptions {
  defaultAssistant: string | undefined;
  webUrl: string;
  /** Least time between two edits of one answer (Slack allows about one chat.update a second). */
  updateIntervalMs: number;
  /** Whether guest accounts are mapped to Tapeout users (SLACK_ALLOW_GUESTS). */
  allowGuests: boolean;
}

const nothingShared: NothingFound = {
  notice: 'No passage shared with this channel matches this question.',
  text: 'Nothing shared in this channel covers this.',
};

export const fullerAnswerNote =
  'I sent you a fuller answer in a direct message: it uses documents that not everyone in this channel may read.';

/**
 * Answers Slack questions as the web chat does, under one rule: an answer posted where others
 * read it (a channel, a private channel, a group DM, a thread in them) uses only what every reader
 * may read: collections granted to everyone, or to the audience group a channel's binding
 * declares. When the asker could read more, the fuller answer goes to them in a direct message.
 * A direct message to the bot is answered with the asker's own grants. A Slack user acts as a
 * Tapeout user only when slackMapping() trusts the account. Each Slack user in a thread (or DM)
 * has their own conversation, so one person's history never feeds another's answer.
 */
export class SlackAnswerer {
  private workspace: Promise<string> | undefined;

  constructor(
    private readonly services: SlackAnswererDeps,
    private readonly options: SlackAnswererOptions,
  ) {}

  async principalFor(api: SlackApi, slackUserId: string): Promise<Principal> {
    const log = this.services.logger.child({ slackUser: slackUserId });
    const [user, workspace] = await Promise.all([
      api.user(slackUserId).catch((error: unknown) => void log.warn({ err: error }, 'users.info failed')),
      this.workspaceTeamId(api).catch((error: unknown) => void log.warn({ err: error }, 'auth.test failed')),
    ]);
    const mapping = slackMapping(user ?? undefined, workspace, this.options.allowGuests);
    if ('unmapped' in mapping) {
      log.info({ reason: mapping.unmapped }, 'Slack user answered as unmapped');
      return everyoneAudience;
    }
    const found = await this.services.users.findByEmail(mapping.email);
    if (found && !found.active) log.info('Slack user answered as unmapped: the Tapeout account is deactivated');
    return found?.active ? { userId: found.id, email: found.email, role: found.role } : everyoneAudience;
  }

  /** The channel's bound assistant, else one named at the start of the message ("hr-policy: …"), else the default. */
  async chooseAssistant(
    principal: Principal,
    settings: ChannelSettings | undefined,
    text: string,
  ): Promise<{ slug: string; question: string } | undefined> {
    if (settings) return { slug: settings.assistant, question: text };
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
    const [asker, shared, settings] = await Promise.all([
      this.principalFor(api, question.slackUserId),
      this.readByOthers(api, question),
      this.services.slackBindings.settingsFor(question.channel),
    ]);
    const choice = await this.chooseAssistant(asker, settings, question.text);
    if (!choice || !choice.question.trim()) {
      await api.post({
        ...where,
        ...errorMessage(
          choice
            ? "Ask a question after the assistant's name."
            : 'No assistant answers here yet: name one at the start of your message, or ask an admin to set SLACK_DEFAULT_ASSISTANT.',
        ),
      });
      return;
    }
    const reply = { webUrl: this.options.webUrl, updateIntervalMs: this.options.updateIntervalMs, logger: log };
    const base = { principal: asker, quotaKey: `slack:${question.teamId}:${question.slackUserId}` };
    const target = {
      ...where,
      assistant: choice.slug,
      question: choice.question,
      // A slash command's answer starts a thread of its own; a direct message has none.
      conversationRef: (placeholderTs: string) =>
        `${question.teamId}:${question.channel}:${question.kind === 'command' ? placeholderTs : (threadTs ?? 'direct')}:${question.slackUserId}`,
    };
    if (!shared) {
      await streamToSlack(this.services, api, target, base, reply);
      return;
    }
    const audience: Principal = settings?.audienceGroupId
      ? { ...everyoneAudience, audienceGroupId: settings.audienceGroupId }
      : everyoneAudience;
    await Promise.all([
      streamToSlack(this.services, api, target, { ...base, readAs: audience, nothingFound: nothingShared }, reply),
      this.answerPrivatelyIfMore(api, question, where, { asker, audience, slug: choice.slug, text: choice.question }, reply).catch(
        (error: unknown) => log.error({ err: error }, 'the private fuller answer failed'),
      ),
    ]);
  }

  /**
   * The asker's own answer, in a direct message, when it draws on passages the channel's audience
   * may not read; with an ephemeral note in the channel saying so. Nothing is sent otherwise.
   */
  private async answerPrivatelyIfMore(
    api: SlackApi,
    question: SlackQuestion,
    where: { channel: string; threadTs?: string },
    ask: { asker: Principal; audience: Principal; slug: string; text: string },
    reply: SlackReplyOptions,
  ): Promise<void> {
    if (!ask.asker.userId) return;
    const assistant = await this.services.assistants.findForAnswering(ask.slug);
    if (!assistant) return;
    const scope = { collectionIds: assistant.collectionIds };
    const [mine, theirs] = await Promise.all([
      this.services.chunks.scopeFor(ask.asker, scope),
      this.services.chunks.scopeFor(ask.audience, scope),
    ]);
    const sharedIds = new Set(theirs.collections.map((collection) => collection.id));
    // Restricted documents the asker reads and the channel does not count as more, like collections.
    const mineWithheld = new Set(mine.withheld);
    const withheldFromChannel = new Set(theirs.withheld.filter((id) => !mineWithheld.has(id)));
    const shared = (citation: { collectionId: string; documentId: string }) =>
      sharedIds.has(citation.collectionId) && !withheldFromChannel.has(citation.documentId);
    if (mine.collections.every((collection) => sharedIds.has(collection.id)) && withheldFromChannel.size === 0) return;

    const channel = await api.openDirectMessage(question.slackUserId);
    const ref = `${question.teamId}:${channel}:direct:${question.slackUserId}`;
    const conversation = await this.services.conversations.forExternalThread(ask.asker, ask.slug, 'slack', ref);
    // Retrieved once: the preview decides whether to answer, and the same answer then streams.
    const turn = await beginChatTurn(this.services, { principal: ask.asker, conversationId: conversation.id, question: ask.text });
    const citations = await turn.preview().catch(async (error: unknown) => {
      await turn.abandon();
      throw error;
    });
    if (citations.every(shared)) return void (await turn.abandon());

    await streamToSlack(
      this.services,
      api,
      { channel, assistant: ask.slug, question: ask.text, conversationRef: () => ref, begun: turn },
      { principal: ask.asker },
      reply,
    );
    await api.postEphemeral({ ...where, user: question.slackUserId, text: fullerAnswerNote });
  }

  /** Whether others read where the question was asked: everywhere but the bot's direct messages with the asker. */
  private async readByOthers(api: SlackApi, question: SlackQuestion): Promise<boolean> {
    if (question.kind === 'direct') return false;
    // A slash command or mention in a DM channel: private only when it is the bot's DM with the asker.
    if (!question.channel.startsWith('D')) return true;
    return !(await api.isDirectMessageWith(question.channel, question.slackUserId).catch(() => false));
  }

  private workspaceTeamId(api: SlackApi): Promise<string> {
    this.workspace ??= api.workspaceTeamId().catch((error: unknown) => {
      this.workspace = undefined;
      throw error;
    });
    return this.workspace;
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
