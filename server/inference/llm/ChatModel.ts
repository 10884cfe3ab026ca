export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Overrides the configured model. */
  model?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Merged over LLM_EXTRA_BODY, sent where the server expects extra parameters. */
  extraBody?: Record<string, unknown>;
  /** Aborting it cancels the upstream request. */
  signal?: AbortSignal;
}

/** What a caller may set about how an answer is generated (the rest of a request is Tapeout's). */
export type GenerationOptions = Pick<
  ChatRequest,
  'temperature' | 'topP' | 'maxTokens' | 'stop' | 'seed' | 'presencePenalty' | 'frequencyPenalty'
>;

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  content: string;
  finishReason: string | null;
  model: string;
  usage: ChatUsage | undefined;
}

export type ChatStreamEvent = { type: 'token'; text: string } | { type: 'done'; finishReason: string | null; usage: ChatUsage | undefined };

/** An LLM behind an OpenAI-compatible chat API. */
export interface ChatModel {
  /** The service's base URL(s). */
  readonly mode: string;
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResult>;
  /** Tokens as they arrive, then one `done`. Failures before the first token are retried. */
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}
