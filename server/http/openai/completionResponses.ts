import type { Response } from 'express';
import { countTokens, countTokensYielding } from '../../language/countTokens.ts';
import type { AnswerEvent } from '../../answering/generateAnswer.ts';
import type { ChatMessage, ChatUsage } from '../../inference/llm/ChatModel.ts';

/** The parts of a completion that do not depend on its events. */
export interface CompletionFrame {
  meta: { id: string; created: number; model: string };
  citations: object[];
  /** The request's messages, to count prompt tokens when no LLM reported them. */
  messages: ChatMessage[];
}

interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * OpenAI's `usage`: the LLM's own counts when it reported them (the answer, plus the rewrite of
 * a follow-up); otherwise, for an extractive answer or an LLM that reports nothing, the request's
 * messages and the answer counted with cl100k_base.
 */
async function usageOf(reported: ChatUsage | undefined, frame: CompletionFrame, content: string): Promise<OpenAIUsage> {
  const promptTokens = reported?.promptTokens ?? (await countTokensYielding(frame.messages.map((message) => message.content)));
  const completionTokens = reported?.completionTokens ?? countTokens(content);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export async function sendCompletion(res: Response, frame: CompletionFrame, events: AsyncGenerator<AnswerEvent>): Promise<void> {
  let content = '';
  const extra: Record<string, unknown> = {};
  let finishReason: string | null = 'stop';
  let usage: ChatUsage | undefined;
  for await (const event of events) {
    if (event.type === 'mode') Object.assign(extra, { answer_mode: event.mode }, event.notice ? { notice: event.notice } : {});
    else if (event.type === 'token') content += event.text;
    else if (event.type === 'done') ({ finishReason, usage } = event);
    else Object.assign(extra, { interrupted: true, notice: event.notice });
  }
  res.json({
    ...frame.meta,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason ?? 'stop' }],
    usage: await usageOf(usage, frame, content),
    citations: frame.citations,
    ...extra,
  });
}

/**
 * Server-sent chunks as OpenAI streams them. With `stream_options.include_usage`, every chunk
 * carries `usage: null` and one last chunk, with no choices, carries the usage, before [DONE].
 */
export async function streamCompletion(
  res: Response,
  frame: CompletionFrame,
  events: AsyncGenerator<AnswerEvent>,
  includeUsage: boolean,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' });
  const send = (choices: unknown[], extra: object = {}) =>
    res.write(
      `data: ${JSON.stringify({ ...frame.meta, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`,
    );
  let finishReason = 'stop';
  let closing: object = {};
  let content = '';
  let usage: ChatUsage | undefined;
  for await (const event of events) {
    if (event.type === 'mode') {
      send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], {
        answer_mode: event.mode,
        ...(event.notice ? { notice: event.notice } : {}),
      });
    } else if (event.type === 'token') {
      content += event.text;
      send([{ index: 0, delta: { content: event.text }, finish_reason: null }]);
    } else if (event.type === 'done') {
      finishReason = event.finishReason ?? 'stop';
      usage = event.usage;
    } else closing = { interrupted: true, notice: event.notice };
  }
  // Citations travel in the final chunk, before [DONE].
  send([{ index: 0, delta: {}, finish_reason: finishReason }], { citations: frame.citations, ...closing });
  if (includeUsage) send([], { usage: await usageOf(usage, frame, content) });
  res.end('data: [DONE]\n\n');
}
