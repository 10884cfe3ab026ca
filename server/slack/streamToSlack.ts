import type { Citation } from '../answering/AssistantAnswerer.ts';
import { beginChatTurn, type ChatSink, type ChatTurn, type ChatTurnDeps, type ChatTurnRequest } from '../conversations/runChatTurn.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { Services } from '../services.ts';
import type { SlackApi } from './SlackApi.ts';
import { answerMessage, errorMessage } from './slackMessage.ts';
import { ThrottledUpdate } from './ThrottledUpdate.ts';

export interface SlackReplyTarget {
  channel: string;
  threadTs?: string;
  /** The external reference of the conversation, once the placeholder's ts is known (a slash command's answer starts its own thread). */
  conversationRef(placeholderTs: string): string;
  assistant: string;
  question: string;
  /** A turn already begun (and previewed) in that conversation, run instead of beginning one. */
  begun?: ChatTurn;
}

export interface SlackReplyOptions {
  webUrl: string;
  updateIntervalMs: number;
  logger: Logger;
}

export type StreamToSlackDeps = ChatTurnDeps & Pick<Services, 'conversations'>;

/**
 * Posts a placeholder, runs one chat turn in the conversation behind it and edits the message as
 * tokens stream (ThrottledUpdate keeps to about one chat.update a second). A refusal (too long,
 * over quota) or failure replaces the placeholder with the reason. Returns the answer's citations.
 */
export async function streamToSlack(
  services: StreamToSlackDeps,
  api: SlackApi,
  target: SlackReplyTarget,
  turn: Omit<ChatTurnRequest, 'conversationId' | 'question'>,
  options: SlackReplyOptions,
): Promise<Citation[]> {
  const where = { channel: target.channel, ...(target.threadTs ? { threadTs: target.threadTs } : {}) };
  const view = {
    text: '',
    citations: [] as Citation[],
    extractive: false,
    notice: null as string | null,
    answerId: undefined as string | undefined,
    webUrl: options.webUrl,
  };
  const placeholder = await api.post({ ...where, ...answerMessage(view) });
  const edit = () => api.update({ channel: target.channel, ts: placeholder.ts, ...answerMessage(view) });
  const updates = new ThrottledUpdate(edit, options.updateIntervalMs, (error) => options.logger.warn({ err: error }, 'chat.update failed'));
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
    const chatTurn = target.begun ?? (await beginTurn(services, target, turn, placeholder.ts));
    await chatTurn.run(sink, new AbortController().signal);
    await updates.flush();
  } catch (error) {
    const { status, body } = describeError(error);
    if (status >= 500) options.logger.error({ err: error }, 'Slack question failed');
    else options.logger.warn({ code: body.error.code, reason: body.error.message }, 'Slack question refused');
    // Edits already sent land before the error replaces them; a refused question has none.
    if (view.text) await updates.flush();
    await api.update({ channel: target.channel, ts: placeholder.ts, ...errorMessage(body.error.message) });
  }
  return view.citations;
}

async function beginTurn(
  services: StreamToSlackDeps,
  target: SlackReplyTarget,
  turn: Omit<ChatTurnRequest, 'conversationId' | 'question'>,
  placeholderTs: string,
): Promise<ChatTurn> {
  const ref = target.conversationRef(placeholderTs);
  const conversation = await services.conversations.forExternalThread(turn.principal, target.assistant, 'slack', ref);
  return beginChatTurn(services, { ...turn, conversationId: conversation.id, question: target.question });
}
