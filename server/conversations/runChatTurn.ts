import type { Citation } from '../answering/AssistantAnswerer.ts';
import type { Principal } from '../auth/Principal.ts';
import { describeError } from '../http/errorHandler.ts';
import type { RetrievalFilter } from '../retrieval/retrievalFilter.ts';
import type { Services } from '../services.ts';
import type { FinishedAnswer } from './ConversationService.ts';

/** Where a turn's events go: an SSE response or a socket. */
export interface ChatSink {
  started(ids: { questionId: string; answerId: string }): void;
  citations(citations: Citation[]): void;
  mode(mode: 'llm' | 'extractive', notice?: string): void;
  token(text: string): void;
  finished(result: { answerId: string; status: FinishedAnswer['status']; error: { code: string; message: string } | null; notice?: string }): void;
}

/**
 * One question and its streamed answer in a conversation. The answer is stored whatever
 * happens: complete, cancelled (the asker stopped it; the partial text is kept) or failed (with
 * the error), so the conversation shows exactly what the asker saw.
 */
export async function runChatTurn(
  services: Services,
  principal: Principal,
  conversationId: string,
  question: string,
  sink: ChatSink,
  signal: AbortSignal,
  filter?: RetrievalFilter,
): Promise<void> {
  const conversation = await services.conversations.get(principal, conversationId);
  const history = await services.conversations.history(conversation.id);
  const ids = await services.conversations.startTurn(conversation.id, question);
  sink.started(ids);
  const answer: FinishedAnswer = { content: '', status: 'complete', citations: [], answerMode: null, error: null };
  let notice: string | undefined;
  try {
    const prepared = await services.answerer.prepare(principal, { assistant: conversation.assistant, messages: [...history, { role: 'user', content: question }], filter, signal });
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
    await services.conversations.finishAnswer(ids.answerId, answer);
  }
  sink.finished({ answerId: ids.answerId, status: answer.status, error: answer.error ?? null, ...(notice ? { notice } : {}) });
}
