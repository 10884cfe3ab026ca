import type { Config } from '../../config/index.ts';
import { InferenceError } from '../http/InferenceError.ts';
import type { ServiceClient } from '../http/ServiceClient.ts';
import type { ChatModel, ChatRequest, ChatResult, ChatStreamEvent, ChatUsage } from './ChatModel.ts';
import { chunkEvents, type ChunkEvent } from './sseEvents.ts';

interface CompletionResponse {
  model: string;
  choices: { message: { content: string | null }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** POST /v1/chat/completions on NIM, vLLM, Ollama or any OpenAI-compatible server. */
export class OpenAICompatibleChatModel implements ChatModel {
  constructor(
    private readonly client: ServiceClient,
    private readonly options: Config['llmOptions'],
  ) {}

  get mode(): string {
    return this.client.endpoint.baseUrls.join(',');
  }

  get model(): string {
    return this.client.endpoint.model;
  }

  private body(request: ChatRequest, stream: boolean): Record<string, unknown> {
    const extra = { ...this.options.extraBody, ...request.extraBody };
    const hasExtra = Object.keys(extra).length > 0;
    return {
      model: request.model ?? this.model,
      messages: request.messages,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      // Every answer is bounded, whatever the caller asked.
      max_tokens: Math.min(request.maxTokens ?? this.options.maxTokens, this.options.maxTokens),
      ...(request.stop?.length ? { stop: request.stop } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.presencePenalty !== undefined ? { presence_penalty: request.presencePenalty } : {}),
      ...(request.frequencyPenalty !== undefined ? { frequency_penalty: request.frequencyPenalty } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...(hasExtra ? (this.options.extraBodyFormat === 'nvext' ? { nvext: extra } : extra) : {}),
    };
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    // Nothing reached the user yet, so a failed completion is safe to retry.
    const response = await this.client.json<CompletionResponse>('/chat/completions', this.body(request, false), {
      idempotent: true,
      signal: request.signal,
      timeoutMs: this.options.timeoutMs,
    });
    const choice = response.choices?.[0];
    if (!choice) throw new InferenceError('llm', 'completion has no choices', 200, 'invalid_response', false);
    return {
      content: choice.message.content ?? '',
      finishReason: choice.finish_reason,
      model: response.model,
      usage: response.usage
        ? { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens }
        : undefined,
    };
  }

  async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const opened = await this.openUntilFirstToken(request);
    let finishReason: string | null = null;
    let usage: ChatUsage | undefined;
    let sawDone: boolean;
    try {
      for (
        let event: ChunkEvent | { kind: 'closed' } = opened.first;
        ;
        event = await opened.call.guard(opened.events.next()).then(nextOrEnd)
      ) {
        if (event.kind === 'content') yield { type: 'token', text: event.text };
        else if (event.kind === 'finish') finishReason = event.reason;
        else if (event.kind === 'usage') usage = { promptTokens: event.promptTokens, completionTokens: event.completionTokens };
        else {
          sawDone = event.kind === 'end';
          break;
        }
      }
      // A body that closes with neither [DONE] nor a finish reason was cut short.
      if (!finishReason && !sawDone) {
        throw new InferenceError('llm', 'the stream stopped before the answer was complete', undefined, 'network_error', false);
      }
      yield { type: 'done', finishReason, usage };
    } finally {
      opened.call.done();
      opened.release();
      await opened.events.return(undefined).catch(() => {});
    }
  }

  /**
   * Opens the stream and waits for the first content (or the end): until then nothing reached
   * the caller, so failures and a slow first token are retried on another replica.
   */
  private openUntilFirstToken(request: ChatRequest) {
    return this.client.withRetries(true, request.signal, () =>
      this.client.pool.run(async (baseUrl, keep) => {
        const call = this.client.call(baseUrl, '/chat/completions', request.signal, this.options.firstTokenTimeoutMs);
        try {
          const response = await call.fetch(this.body(request, true));
          if (!response.ok) throw InferenceError.fromResponse('llm', response.status, await call.guard(response.text()));
          if (!response.body) throw new InferenceError('llm', 'stream has no body', response.status, 'invalid_response', false);
          const events = chunkEvents(response.body, 'llm');
          let first: ChunkEvent | { kind: 'closed' } = await call.guard(events.next()).then(nextOrEnd);
          while (first.kind === 'usage') first = await call.guard(events.next()).then(nextOrEnd);
          call.extend(this.options.timeoutMs);
          return { call, events, first, release: keep() };
        } catch (error) {
          call.done();
          throw error;
        }
      }),
    );
  }
}

/** `end` is the server's [DONE]; `closed` is the body ending, with or without it. */
function nextOrEnd(result: IteratorResult<ChunkEvent>): ChunkEvent | { kind: 'closed' } {
  return result.done ? { kind: 'closed' } : result.value;
}
