export interface NimEmulatorOptions {
  /** /v1/health/ready answers 503 until this many milliseconds after start. */
  warmupMs: number;
  /** Added before every inference response. */
  latencyMs: number;
  tokensPerSecond: number;
  llmModel: string;
  embeddingModel: string;
  rerankModel: string;
  embeddingDimension: number;
  maxBatchSize: number;
  maxInputTokens: number;
  /** NIM 1.x accepts `nvext`; NIM 2.x rejects it and takes extra parameters at the top level. */
  nimVersion: 1 | 2;
}

export const defaultEmulatorOptions: NimEmulatorOptions = {
  warmupMs: 0,
  latencyMs: 0,
  tokensPerSecond: 200,
  llmModel: 'meta/llama-3.1-8b-instruct',
  embeddingModel: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
  rerankModel: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
  embeddingDimension: 1024,
  maxBatchSize: 64,
  maxInputTokens: 512,
  nimVersion: 2,
};

/** What the emulator served, for tests and benchmarks. */
export interface EmulatorStats {
  requests: Record<'chat' | 'embeddings' | 'ranking', number>;
  /** Streams whose client went away before the last token. */
  abandonedStreams: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
