import type { DocumentInterface } from '@langchain/core/documents';
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors';
import type { Reranker } from '../reranking/Reranker.ts';

/** A Tapeout Reranker as a LangChain document compressor: reorders, keeps the top k, records the score. */
export class RerankerCompressor extends BaseDocumentCompressor {
  constructor(
    private readonly reranker: Reranker,
    private readonly topK = 10,
  ) {
    super();
  }

  async compressDocuments(documents: DocumentInterface[], query: string): Promise<DocumentInterface[]> {
    const ranked = await this.reranker.rank(
      query,
      documents.map((doc) => doc.pageContent),
      { topK: this.topK },
    );
    return ranked.map(({ index, score }) => {
      const document = documents[index]!;
      return { ...document, metadata: { ...document.metadata, relevanceScore: score } };
    });
  }
}
