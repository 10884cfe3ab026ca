import { EventSourceParserStream } from 'eventsource-parser/stream';
import { InferenceError } from '../http/InferenceError.ts';

interface CompletionChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: unknown;
}

export type ChunkEvent =
  | { kind: 'content'; text: string }
  | { kind: 'finish'; reason: string }
  | { kind: 'usage'; promptTokens: number; completionTokens: number }
  | { kind: 'end' };

/** Reads an OpenAI-style SSE body as content, finish, usage and end events. */
export async function* chunkEvents(body: ReadableStream<Uint8Array>, service: string): AsyncGenerator<ChunkEvent> {
  // The DOM and Node typings of TextDecoderStream disagree on the chunk type; at run time it is Node's.
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  const reader = body.pipeThrough(decoder).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value.data === '[DONE]') return yield { kind: 'end' };
      let chunk: CompletionChunk;
      try {
        chunk = JSON.parse(value.data) as CompletionChunk;
      } catch {
        throw new InferenceError(service, 'stream carried invalid JSON', 200, 'invalid_response', false);
      }
      // Some servers report a failure mid-stream as an event instead of an HTTP status.
      if (chunk.error) throw InferenceError.fromResponse(service, 500, JSON.stringify({ error: chunk.error }));
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) yield { kind: 'content', text: choice.delta.content };
      if (choice?.finish_reason) yield { kind: 'finish', reason: choice.finish_reason };
      if (chunk.usage) yield { kind: 'usage', promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
