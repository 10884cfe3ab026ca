import type { Config } from '../config/index.ts';
import type { Embedder } from './embeddings/Embedder.ts';
import { HashingEmbedder } from './embeddings/HashingEmbedder.ts';
import { NimEmbedder } from './embeddings/NimEmbedder.ts';
import { ServiceClient } from './http/ServiceClient.ts';
import type { ChatModel } from './llm/ChatModel.ts';
import { OpenAICompatibleChatModel } from './llm/OpenAICompatibleChatModel.ts';
import { NimReranker } from './reranking/NimReranker.ts';
import { NoopReranker, type Reranker } from './reranking/Reranker.ts';

export interface Inference {
  /** Undefined when no LLM is configured: answers are then extractive. */
  chatModel: ChatModel | undefined;
  embedder: Embedder;
  reranker: Reranker;
  /** The HTTP clients of the configured services, for readiness. */
  clients: { llm?: ServiceClient; embeddings?: ServiceClient; reranker?: ServiceClient };
}

/** Each configured service gets its client; each missing one its embedded fallback. */
export function createInference(config: Config): Inference {
  const timeouts = { timeoutMs: config.inferenceTimeoutMs };
  const llm = config.llm && new ServiceClient('llm', config.llm, { timeoutMs: config.llmOptions.timeoutMs });
  const embeddings = config.embeddings && new ServiceClient('embeddings', config.embeddings, timeouts);
  const reranker = config.reranker && new ServiceClient('reranker', config.reranker, timeouts);
  return {
    chatModel: llm && new OpenAICompatibleChatModel(llm, config.llmOptions),
    embedder: embeddings ? new NimEmbedder(embeddings, config.embeddingOptions) : new HashingEmbedder(),
    reranker: reranker ? new NimReranker(reranker) : new NoopReranker(),
    clients: { ...(llm ? { llm } : {}), ...(embeddings ? { embeddings } : {}), ...(reranker ? { reranker } : {}) },
  };
}
