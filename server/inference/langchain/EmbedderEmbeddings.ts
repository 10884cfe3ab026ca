import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { Embedder } from '../embeddings/Embedder.ts';

/**
 * Any Tapeout Embedder as LangChain Embeddings: documents are embedded as passages and queries
 * as queries (NIM's input_type), with Tapeout's batching, truncation and retries.
 */
export class EmbedderEmbeddings extends Embeddings {
  constructor(
    private readonly embedder: Embedder,
    params: EmbeddingsParams = {},
  ) {
    super(params);
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return this.embedder.embedPassages(documents);
  }

  embedQuery(document: string): Promise<number[]> {
    return this.embedder.embedQuery(document);
  }
}
