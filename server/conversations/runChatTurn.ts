import type { AssistantAnswerer, Citation, NothingFound } from '../answering/AssistantAnswerer.ts';
import type { AssistantService } from '../assistants/AssistantService.ts';
import type { Config } from '../config/index.ts';
import type { ChatQuota } from '../limits/ChatQuota.ts';
import type { Logger } from '../logging/logger.ts';
import { assertQuestionFits } from '../answering/chatLimits.ts';
import type { Principal } from '../auth/Principal.ts';
import { untilAvailable } from '../db/untilAvailable.ts';
import type { RetrievalFilter } from '../retrieval/retrievalFilter.ts';
import { describeError, NotFoundError, ValidationError } from '../errors.ts';
import type { Conversation, ConversationService, FinishedAnswer } from './ConversationService.ts';
import { inSpan } from '../observability/tracing.ts';
import { shutdownNotice, type AnswerInFlight, type AnswersInFlight } from '../lifecycle/AnswersInFlight.ts';

/** How a turn ended: the last event of every surface (socket.io's `chat:done`). */
export interface FinishedTurn {
  answerId: string;
  status: FinishedAnswer['status'];
  error: { code: string; message: string } | null;
  notice?: string;
}

/** Where a turn's events go: an SSE response, a socket, a Slack message. */
export interface ChatSink {
  /** The question is stored; `conversation` is set when the turn created its conversation. */
  started(ids: { questionId: string; answerId: string; conversation?: Conversation }): void;
  citations(citations: Citation[]): void;
  mode(mode: 'llm' | 'extractive', notice?: string): void;
  token(text: string): void;
  finished(result: FinishedTurn): void;
}

export interface ChatTurnRequest {
  /** Who asks: the conversation must be theirs. */
  principal: Principal;
  /** The conversation asked in; or, with `newConversationWith`, none yet. */
  conversationId?: string;
  /** Starts a conversation with this assistant, created only once the question passed its checks. */
  newConversationWith?: string;
  question: string;
  filter?: RetrievalFilter;
  /**
   * Whose grants retrieval uses, when narrower than the asker's: an answer posted where others
   * read it (a Slack channel) uses only what every reader may read.
   */
  readAs?: Principal;
  /** Who the chat quota counts against when the asker has no Tapeout user (an unmapped Slack user). */
  quotaKey?: string;
  /** What the answer says when no readable passage matches (a channel's wording differs from a person's). */
  nothingFound?: NothingFound;
}

/** A turn that passed its checks and holds a quota slot; `run` streams it and frees the slot. */
export interface ChatTurn {
  run(sink: ChatSink, signal: AbortSignal): Promise<void>;
  /** Frees the slot of a turn that will not be run. */
  abandon(): Promise<void>;
}

/** What a chat turn uses, and nothing else of the composition root. */
export type ChatTurnDeps = {
  conversations: ConversationService;
  assistants: AssistantService;
  answerer: AssistantAnswerer;
  chatQuota: ChatQuota;
  answersInFlight: AnswersInFlight;
  logger: Logger;
  config: Pick<Config, 'chat'>;
};

/**
 * Checks a question before anything is stored or started: its length, the conversation's owner
 * (or the assistant of the conversation it starts) and the asker's chat quota. Each refusal is a
 * typed error (413, 404, 429), so an HTTP caller can still answer it as JSON before its stream
 * opens.
 */
export async function beginChatTurn(services: ChatTurnDeps, request: ChatTurnRequest): Promise<ChatTurn> {
  assertQuestionFits(request.question, services.config.chat);
  const existing = request.conversationId ? await services.conversations.get(request.principal, request.conversationId) : undefined;
  const assistant = existing?.assistant ?? request.newConversationWith;
  if (!assistant) throw new ValidationError('Name the conversation, or the assistant to start one with.');
  if (!existing && !(await services.assistants.findForAnswering(assistant))) throw new NotFoundError(`Assistant "${assistant}"`);
  const inFlight = services.answersInFlight.begin();
  const release = await services.chatQuota.acquire(request.principal.userId ?? request.quotaKey ?? 'anonymous').catch((error: unknown) => {
    inFlight.end();
    throw error;
  });
  return {
    run: async (sink, signal) => {
      try {
        const conversation = existing ?? (await services.conversations.create(request.principal, assistant));
        const started = existing
          ? sink
          : { ...sink, started: (ids: { questionId: string; answerId: string }) => sink.started({ ...ids, conversation }) };
        await inSpan('chat.turn', { 'tapeout.assistant': assistant, 'tapeout.conversation': conversation.id }, () =>
          streamTurn(services, { ...request, conversationId: conversation.id, assistant }, started, { signal, inFlight }, release),
        );
      } finally {
        await release();
        // Last, so a drain waits until the asker has been told how the answer ended.
        inFlight.end();
      }
    },
    abandon: async () => {
      inFlight.end();
      await release();
    },
  };
}

/**
 * One question and its streamed answer in a conversation. The answer is stored whatever
 * happens: complete, cancelled (the asker stopped it; the partial text is kept) or failed (with
 * the error), so the conversation shows exactly what the asker saw.
 */
async function streamTurn(
  services: ChatTurnDeps,
  request: ChatTurnRequest & { conversationId: string; assistant: string },
  sink: ChatSink,
  /** The asker's signal, and the answer's registration for a drain at shutdown. */
  stop: { signal: AbortSignal; inFlight: AnswerInFlight },
  /** Frees the quota slot; called before `finished`, so an asker told the answer is done may ask again at once. */
  release: () => Promise<void>,
): Promise<void> {
  const { conversationId, question } = request;
  const signal = AbortSignal.any([stop.signal, stop.inFlight.signal]);
  const history = await services.conversations.history(conversationId);
  const ids = await inSpan('conversation.store_question', {}, () => services.conversations.startTurn(conversationId, question));
  sink.started(ids);
  const answer: FinishedAnswer = { content: '', status: 'complete', citations: [], answerMode: null, error: null };
  let notice: string | undefined;
  try {
    const prepared = await services.answerer.prepare(request.readAs ?? request.principal, {
      assistant: request.assistant,
      messages: [...history, { role: 'user', content: question }],
      filter: request.filter,
      nothingFound: request.nothingFound,
      signal,
    });
    answer.citations = prepared.citations;
    sink.citations(prepared.citations);
    for await (const event of prepared.events) {
      if (event.type === 'mode') {
        answer.answerMode = event.mode;
        notice = event.notice;
        answer.notice = event.notice ?? null;
        sink.mode(event.mode, event.notice);
      } else if (event.type === 'token') {
        answer.content += event.text;
        sink.token(event.text);
      } else if (event.type === 'done') answer.usage = event.usage;
      else {
        answer.status = 'failed';
        answer.error = { code: 'answer_interrupted', message: event.notice };
      }
    }
    if (signal.aborted) answer.status = 'cancelled';
  } catch (error) {
    if (signal.aborted) answer.status = 'cancelled';
    else {
      const { status, body } = describeError(error);
      if (status >= 500) services.logger.error({ err: error, conversationId }, 'chat turn failed');
      answer.status = 'failed';
      answer.error = { code: body.error.code, message: body.error.message };
    }
  } finally {
    if (stop.inFlight.cutOffByShutdown()) {
      answer.status = 'failed';
      answer.error = { code: 'server_shutting_down', message: shutdownNotice };
    }
    // The answer the asker saw is stored even across a database restart during its stream.
    await inSpan('conversation.store_answer', { 'tapeout.answer_status': answer.status }, () =>
      untilAvailable(() => services.conversations.finishAnswer(ids.answerId, answer)),
    );
    await release();
  }
  sink.finished({ answerId: ids.answerId, status: answer.status, error: answer.error ?? null, ...(notice ? { notice } : {}) });
}
