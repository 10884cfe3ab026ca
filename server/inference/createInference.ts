import type { Config } from '../config/index.ts';
import type { Embedder } from './embeddings/Embedder.ts';
import { HashingEmbedder } from './embeddings/HashingEmbedder.ts';
import { NimEmbedder } from './embeddings/NimEmbedder.ts';
import { SentenceEncoderEmbedder } from './embeddings/sentenceEncoder/SentenceEncoderEmbedder.ts';
import { ServiceClient } from './http/ServiceClient.ts';
import type { ChatModel } from './llm/ChatModel.ts';
import { OpenAICompatibleChatModel } from './llm/OpenAICompatibleChatModel.ts';
import { NimReranker } from './reranking/NimReranker.ts';
import { NoopReranker, type Reranker } from './reranking/Reranker.ts';

export interface Inference {
  /** Undefined when no LLM is configured: answers are then extractive. */
  chatModel: ChatModel | undefined;
  embedder: Embedder;
  /**
   * Every embedder this process can run, the configured one first. The built-in CPU embedder is
   * always among them, so collections embedded with it keep serving vector search while they are
   * re-embedded for a newly configured embedding service.
   */
  embedders: Embedder[];
  /** Embedded mode's second vectors (chunk_sentence_vectors), when enabled: see SentenceEncoderEmbedder. */
  sentenceEncoder: SentenceEncoderEmbedder | undefined;
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
  const embedder = embeddings ? new NimEmbedder(embeddings, config.embeddingOptions) : new HashingEmbedder();
  return {
    chatModel: llm && new OpenAICompatibleChatModel(llm, config.llmOptions),
    embedder,
    embedders: embedder instanceof HashingEmbedder ? [embedder] : [embedder, new HashingEmbedder()],
    sentenceEncoder: config.sentenceEncoder ? new SentenceEncoderEmbedder() : undefined,
    reranker: reranker ? new NimReranker(reranker) : new NoopReranker(),
    clients: { ...(llm ? { llm } : {}), ...(embeddings ? { embeddings } : {}), ...(reranker ? { reranker } : {}) },
  };
}
