import { z } from 'zod';
import { LimitExceededError, UnsupportedParameterError } from '../../errors.ts';
import type { ChatMessage, GenerationOptions } from '../../inference/llm/ChatModel.ts';
import { retrievalFilterSchema, type RetrievalFilter } from '../../retrieval/retrievalFilter.ts';

/**
 * POST /v1/chat/completions as OpenAI documents it (the API reference's request body), read so
 * that every parameter is either honoured or refused with a 400 naming it: a client that sends
 * `n: 3` or `response_format: json_schema` must not believe it got what it asked for.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() }).strict();
const otherPart = z.object({ type: z.string() }).loose();
const content = z.union([z.string(), z.array(z.union([textPart, otherPart])).min(1, 'content must not be an empty list')]);
const message = z
  .object({
    role: z.string(),
    content: content.nullable().optional(),
  })
  .loose();

/** Optional parameters may be sent as null, as OpenAI's own SDKs do for "not given". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

const body = z
  .object({
    model: z.string().min(1, 'model is required'),
    messages: z.array(message).min(1, 'messages must not be empty'),
    stream: optional(z.boolean()),
    stream_options: optional(z.object({ include_usage: z.boolean().optional() }).strict()),
    temperature: optional(z.number().min(0).max(2)),
    top_p: optional(z.number().min(0).max(1)),
    max_tokens: optional(z.number().int().min(1)),
    max_completion_tokens: optional(z.number().int().min(1)),
    stop: optional(z.union([z.string(), z.array(z.string()).max(4, 'stop takes at most 4 sequences')])),
    seed: optional(z.number().int()),
    presence_penalty: optional(z.number().min(-2).max(2)),
    frequency_penalty: optional(z.number().min(-2).max(2)),
    /** End-user ids for abuse tracing: written to the request log. */
    user: optional(z.string().max(256)),
    safety_identifier: optional(z.string().max(256)),
    // Accepted only with the value that asks for nothing this server cannot do (checked below).
    n: optional(z.number().int()),
    logprobs: optional(z.boolean()),
    top_logprobs: optional(z.number().int()),
    response_format: optional(z.object({ type: z.string() }).loose()),
    tools: optional(z.array(z.unknown())),
    tool_choice: optional(z.unknown()),
    parallel_tool_calls: optional(z.boolean()),
    store: optional(z.boolean()),
    /** Tapeout's extension: narrows retrieval (see retrievalFilter.ts). */
    filter: retrievalFilterSchema.optional(),
  })
  .loose();

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  generation: GenerationOptions;
  endUser?: string;
  filter?: RetrievalFilter;
}

const known = new Set(Object.keys(body.shape));

export function parseChatCompletionRequest(raw: unknown, maxTokensCeiling: number): ChatCompletionRequest {
  const parsed = body.parse(raw);
  const unknown = Object.keys(parsed).filter((key) => !known.has(key));
  if (unknown.length)
    throw new UnsupportedParameterError(
      unknown[0]!,
      `This server does not support ${unknown.map((key) => `"${key}"`).join(', ')}; remove ${unknown.length > 1 ? 'them' : 'it'} from the request.`,
    );
  refuseWhatCannotBeHonoured(parsed);
  if (parsed.stream_options && !parsed.stream)
    throw new UnsupportedParameterError('stream_options', 'stream_options is only allowed when stream is true.');
  return {
    model: parsed.model,
    messages: parsed.messages.map((entry, i) => chatMessage(entry, i)),
    stream: parsed.stream ?? false,
    includeUsage: parsed.stream_options?.include_usage ?? false,
    generation: {
      temperature: parsed.temperature ?? undefined,
      topP: parsed.top_p ?? undefined,
      maxTokens: answerTokenLimit(parsed, maxTokensCeiling),
      stop: parsed.stop == null ? undefined : [parsed.stop].flat(),
      seed: parsed.seed ?? undefined,
      presencePenalty: parsed.presence_penalty ?? undefined,
      frequencyPenalty: parsed.frequency_penalty ?? undefined,
    },
    endUser: parsed.safety_identifier ?? parsed.user ?? undefined,
    filter: parsed.filter,
  };
}

type Body = z.output<typeof body>;

/** Parameters that exist in OpenAI's API but ask for what an assistant's answer cannot give. */
function refuseWhatCannotBeHonoured(parsed: Body): void {
  const refuse = (param: string, why: string) => {
    throw new UnsupportedParameterError(param, why);
  };
  if (parsed.n != null && parsed.n !== 1)
    refuse('n', `n must be 1: an assistant gives one answer per request (this one asks for ${parsed.n}).`);
  if (parsed.logprobs)
    refuse('logprobs', 'logprobs are not supported: answers may be passages quoted verbatim, which have no token probabilities.');
  if (parsed.top_logprobs) refuse('top_logprobs', 'top_logprobs are not supported (logprobs are not).');
  if (parsed.response_format && parsed.response_format.type !== 'text')
    refuse('response_format', `response_format "${parsed.response_format.type}" is not supported; answers are text with citations.`);
  if (parsed.tools?.length) refuse('tools', 'tools are not supported yet: an assistant answers from its documents and calls no tools.');
  if (parsed.tool_choice != null && parsed.tool_choice !== 'none')
    refuse('tool_choice', 'tool_choice is not supported: an assistant calls no tools (only "none" is accepted).');
  if (parsed.store) refuse('store', 'store is not supported: this API keeps nothing of a request.');
}

/** max_completion_tokens is max_tokens' current name; either is checked against the server's ceiling. */
function answerTokenLimit(parsed: Body, ceiling: number): number | undefined {
  const { max_tokens: legacy, max_completion_tokens: current } = parsed;
  if (legacy != null && current != null && legacy !== current)
    throw new UnsupportedParameterError(
      'max_completion_tokens',
      `max_tokens (${legacy}) and max_completion_tokens (${current}) disagree; send one of them.`,
    );
  const limit = current ?? legacy ?? undefined;
  if (limit !== undefined && limit > ceiling) {
    const name = current != null ? 'max_completion_tokens' : 'max_tokens';
    throw new LimitExceededError(
      'max_tokens_too_large',
      `${name} may be at most ${ceiling} on this server; this request asks for ${limit}.`,
      400,
    );
  }
  return limit;
}

const roles: Record<string, ChatMessage['role'] | undefined> = {
  system: 'system',
  // OpenAI's newer name for system instructions (o1 and later); the same thing to an assistant.
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
};

function chatMessage(entry: z.output<typeof message>, index: number): ChatMessage {
  const param = `messages[${index}]`;
  const role = roles[entry.role];
  if (!role) {
    const why =
      entry.role === 'tool' || entry.role === 'function' ? 'tool results are not supported yet' : 'it is not a role OpenAI defines';
    throw new UnsupportedParameterError(`${param}.role`, `${param} has role "${entry.role}": ${why}.`);
  }
  const extra = Object.keys(entry).filter((key) => key !== 'role' && key !== 'content');
  if (extra.length)
    throw new UnsupportedParameterError(`${param}.${extra[0]}`, `${param}: ${extra.map((key) => `"${key}"`).join(', ')} is not supported.`);
  return { role, content: textOf(entry.content, param) };
}

function textOf(value: z.output<typeof content> | null | undefined, param: string): string {
  if (value == null) throw new UnsupportedParameterError(`${param}.content`, `${param} has no content.`);
  if (typeof value === 'string') return value;
  return value
    .map((part, i) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      const kind = part.type === 'image_url' ? 'Images are' : part.type === 'input_audio' ? 'Audio is' : `"${part.type}" parts are`;
      throw new UnsupportedParameterError(`${param}.content[${i}]`, `${kind} not supported yet: send the question as text.`);
    })
    .join('\n');
}
