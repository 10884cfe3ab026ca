import type { Logger } from '../logging/logger.ts';
import { countTokens, truncateToTokens } from '../language/countTokens.ts';
import type { ChatMessage, ChatModel, ChatUsage, GenerationOptions } from '../inference/llm/ChatModel.ts';
import { extractiveAnswer, type AnswerSource } from './extractiveAnswer.ts';
import { llmTimeToFirstToken, secondsSince } from '../observability/metrics.ts';
import { markFailed, startSpan } from '../observability/tracing.ts';

export type AnswerMode = 'llm' | 'extractive';

export type AnswerEvent =
  /** First event: how this answer is produced, and a notice to show when it is not the LLM. */
  | { type: 'mode'; mode: AnswerMode; notice?: string }
  | { type: 'token'; text: string }
  /** `usage`: the LLM's own count when it reported one, else counted with cl100k_base; none for an extractive answer. */
  | { type: 'done'; finishReason: string | null; usage?: ChatUsage }
  /** The LLM failed after it had started: what streamed so far is kept, with this notice. */
  | { type: 'interrupted'; notice: string };

export const notices = {
  noLlm: 'No language model is configured, so this answer quotes the most relevant passages.',
  llmDown: 'The language model is unavailable right now, so this answer quotes the most relevant passages.',
  interrupted: 'The language model stopped before finishing; the answer above is incomplete.',
};

export interface AnswerInput {
  chatModel: ChatModel | undefined;
  /** The prompt for the LLM (built by the chat service). */
  messages: ChatMessage[];
  question: string;
  sources: AnswerSource[];
  generation?: GenerationOptions;
  signal?: AbortSignal;
  logger: Logger;
}

/**
 * Streams an answer from the LLM, or, when none is configured or it fails before its first
 * token, an extractive answer from the sources with a plain notice: a question never ends in a
 * crash or an empty reply.
 */
export async function* generateAnswer(input: AnswerInput): AsyncGenerator<AnswerEvent> {
  if (!input.chatModel) {
    yield* extractive(input, notices.noLlm);
    return;
  }
  const span = startSpan('llm.generate', { 'gen_ai.request.model': input.chatModel.model });
  const firstToken = startSpan('llm.first_token', {}, span);
  const sentAt = performance.now();
  let started = false;
  let text = '';
  try {
    for await (const event of input.chatModel.stream({ ...input.generation, messages: input.messages, signal: input.signal })) {
      if (!started) {
        started = true;
        llmTimeToFirstToken.observe(secondsSince(sentAt));
        firstToken.end();
        yield { type: 'mode', mode: 'llm' };
      }
      if (event.type === 'token') {
        text += event.text;
        yield event;
        continue;
      }
      const usage = event.usage ?? countedUsage(input.messages, text);
      span.setAttributes({ 'gen_ai.usage.input_tokens': usage.promptTokens, 'gen_ai.usage.output_tokens': usage.completionTokens });
      yield { type: 'done', finishReason: event.finishReason, usage };
    }
  } catch (error) {
    markFailed(span, error);
    if (input.signal?.aborted) throw error;
    input.logger.warn({ err: error, started }, 'LLM failed while answering');
    if (started) yield { type: 'interrupted', notice: notices.interrupted };
    else yield* extractive(input, notices.llmDown);
  } finally {
    if (!started) firstToken.end();
    span.end();
  }
}

function* extractive(input: AnswerInput, notice: string): Generator<AnswerEvent> {
  const span = startSpan('answer.extractive', { 'tapeout.sources': input.sources.length });
  try {
    yield { type: 'mode', mode: 'extractive', notice };
    const text = extractiveAnswer(input.question, input.sources).text;
    // A caller's token limit holds for quoted answers too.
    const limit = input.generation?.maxTokens;
    const cut = limit === undefined ? text : truncateToTokens(text, limit);
    yield { type: 'token', text: cut };
    yield { type: 'done', finishReason: cut === text ? 'stop' : 'length' };
  } finally {
    span.end();
  }
}

/** For an LLM that reports no usage: the prompt's and the answer's tokens, as cl100k_base counts them. */
function countedUsage(messages: ChatMessage[], answer: string): ChatUsage {
  return { promptTokens: messages.reduce((sum, message) => sum + countTokens(message.content), 0), completionTokens: countTokens(answer) };
}
