import type { AssistantAnswerer, Citation, NothingFound, PreparedAnswer } from '../answering/AssistantAnswerer.ts';
import type { AssistantService } from '../assistants/AssistantService.ts';
import type { Config } from '../config/index.ts';
import { admitAnswer, type AdmittedAnswer, type AnswerAdmissionDeps } from '../limits/admitAnswer.ts';
import type { ChatMessage } from '../inference/llm/ChatModel.ts';
import type { Logger } from '../logging/logger.ts';
import { assertQuestionFits } from '../answering/chatLimits.ts';
import type { Principal } from '../auth/Principal.ts';
import { untilAvailable } from '../db/untilAvailable.ts';
import type { RetrievalFilter } from '../retrieval/retrievalFilter.ts';
import { describeError, NotFoundError, ValidationError } from '../errors.ts';
import type { Conversation, ConversationService, FinishedAnswer } from './ConversationService.ts';
import { inSpan } from '../observability/tracing.ts';
import { shutdownNotice } from '../lifecycle/AnswersInFlight.ts';

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
  /**
   * The passages the answer will cite, retrieved before anything is stored; `run` then streams
   * this same answer without retrieving again. For a surface that decides from them whether to
   * answer at all (Slack's private fuller answer); `abandon` if it does not.
   */
  preview(): Promise<Citation[]>;
  run(sink: ChatSink, signal: AbortSignal): Promise<void>;
  /** Frees the slot of a turn that will not be run. */
  abandon(): Promise<void>;
}

/** What a chat turn uses, and nothing else of the composition root. */
export type ChatTurnDeps = AnswerAdmissionDeps & {
  conversations: ConversationService;
  assistants: AssistantService;
  answerer: AssistantAnswerer;
  logger: Logger;
  config: Pick<Config, 'chat'>;
};

/**
 * Checks a question before anything is stored or started: its length, the conversation's owner
 * (or the assistant of the conversation it starts), then admits it (admitAnswer: shutdown, the
 * asker's chat quota). Each refusal is a typed error (413, 404, 503, 429), so an HTTP caller can
 * still answer it as JSON before its stream opens. The assistant is loaded here, once per turn.
 */
export async function beginChatTurn(services: ChatTurnDeps, request: ChatTurnRequest): Promise<ChatTurn> {
  assertQuestionFits(request.question, services.config.chat);
  const existing = request.conversationId ? await services.conversations.get(request.principal, request.conversationId) : undefined;
  const slug = existing?.assistant ?? request.newConversationWith;
  if (!slug) throw new ValidationError('Name the conversation, or the assistant to start one with.');
  const assistant = await services.assistants.findForAnswering(slug);
  // An existing conversation whose assistant went away still runs, and stores the failure as its answer.
  if (!existing && !assistant) throw new NotFoundError(`Assistant "${slug}"`);
  const admitted = await admitAnswer(services, request);
  // The asker's own stop, linked once run() is given its signal; the preview already listens to it.
  const stopped = new AbortController();
  const signal = AbortSignal.any([stopped.signal, admitted.signal]);
  let preparing: Promise<PreparedAnswer> | undefined;
  const prepare = (history: ChatMessage[]) =>
    (preparing ??= services.answerer.prepare(request.readAs ?? request.principal, {
      assistant: assistant ?? slug,
      messages: [...history, { role: 'user', content: request.question }],
      filter: request.filter,
      nothingFound: request.nothingFound,
      signal,
    }));
  return {
    preview: async () => (await prepare(existing ? await services.conversations.history(existing.id) : [])).citations,
    run: async (sink, askerSignal) => {
      if (askerSignal.aborted) stopped.abort(askerSignal.reason);
      else askerSignal.addEventListener('abort', () => stopped.abort(askerSignal.reason), { once: true });
      try {
        const conversation = existing ?? (await services.conversations.create(request.principal, slug));
        const started = existing
          ? sink
          : { ...sink, started: (ids: { questionId: string; answerId: string }) => sink.started({ ...ids, conversation }) };
        await inSpan('chat.turn', { 'tapeout.assistant': slug, 'tapeout.conversation': conversation.id }, () =>
          streamTurn(services, { conversationId: conversation.id, question: request.question }, started, { prepare, signal, admitted }),
        );
      } finally {
        await admitted.end();
      }
    },
    abandon: async () => {
      void preparing?.then((prepared) => prepared.events.return(undefined)).catch(() => undefined);
      await admitted.end();
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
  request: { conversationId: string; question: string },
  sink: ChatSink,
  turn: {
    /** Retrieves and starts the answer, or hands back the one a preview prepared. */
    prepare(history: ChatMessage[]): Promise<PreparedAnswer>;
    /** The asker's stop and a shutdown's cut-off together. */
    signal: AbortSignal;
    /** Its quota slot is freed before `finished`, so an asker told the answer is done may ask again at once. */
    admitted: AdmittedAnswer;
  },
): Promise<void> {
  const { conversationId, question } = request;
  const { signal, admitted } = turn;
  const history = await services.conversations.history(conversationId);
  const ids = await inSpan('conversation.store_question', {}, () => services.conversations.startTurn(conversationId, question));
  sink.started(ids);
  const answer: FinishedAnswer = { content: '', status: 'complete', citations: [], answerMode: null, error: null };
  let notice: string | undefined;
  try {
    const prepared = await turn.prepare(history);
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
    if (admitted.cutOffByShutdown()) {
      answer.status = 'failed';
      answer.error = { code: 'server_shutting_down', message: shutdownNotice };
    }
    // The answer the asker saw is stored even across a database restart during its stream.
    await inSpan('conversation.store_answer', { 'tapeout.answer_status': answer.status }, () =>
      untilAvailable(() => services.conversations.finishAnswer(ids.answerId, answer)),
    );
    await admitted.releaseQuota();
  }
  sink.finished({ answerId: ids.answerId, status: answer.status, error: answer.error ?? null, ...(notice ? { notice } : {}) });
}
