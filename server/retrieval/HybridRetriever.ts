import type { DocumentOrigin } from '../corpus/documentOrigin.ts';
import type { Principal } from '../auth/Principal.ts';
import type { Database } from '../db/Database.ts';
import type { Embedder } from '../inference/embeddings/Embedder.ts';
import type { Reranker } from '../inference/reranking/Reranker.ts';
import type { Logger } from '../logging/logger.ts';
import type { ChunkHit, ChunkReader } from './ChunkReader.ts';
import { suitsSentenceEncoder } from '../language/languages.ts';
import { isMostlyBigramScript, isMostlyLatin } from '../language/searchTokens.ts';
import { HashingEmbedder } from '../inference/embeddings/HashingEmbedder.ts';
import { withoutNearDuplicates } from './nearDuplicates.ts';
import type { NormalisedFilter } from './retrievalFilter.ts';
import { retrievalDuration, secondsSince } from '../observability/metrics.ts';
import { inSpan } from '../observability/tracing.ts';

export interface RetrievedPassage extends ChunkHit {
  title: string;
  filename: string | null;
  /** Where the document lives in its source (null for uploads). */
  origin: DocumentOrigin | null;
  /** Reranker score (0-1) when a reranker ranked it, else the fused score. */
  relevance: number;
}

export interface RetrievalOptions {
  /** The collections to search (those the asker may read among them); undefined: every collection the asker may read. */
  collectionIds?: string[];
  /** Candidates taken from each search and handed to the reranker. */
  candidates?: number;
  /** Passages kept for the prompt. */
  topK?: number;
  /** Drops passages the reranker scores below this (0-1); ignored without a reranker's scores. */
  scoreThreshold?: number;
  /** Narrows the search to some documents (the assistant's and the request's filters, combined). */
  filter?: NormalisedFilter;
  signal?: AbortSignal;
}

/** Reciprocal rank fusion's constant, as in the original paper and most RAG stacks. */
const rrfK = 60;

/**
 * Full-text and vector search (one list per embedding model in use, plus the sentence vectors
 * of embedded mode) over the collections the asker may read (grants are applied in SQL by
 * ChunkReader), fused with reciprocal rank fusion, then reranked when a reranker is configured.
 * A failing embedder or reranker degrades to what still works instead of failing.
 */
export class HybridRetriever {
  constructor(
    private readonly db: Database,
    private readonly chunks: ChunkReader,
    private readonly vectors: {
      /** Each model's vectors are searched with a query embedded by that model: during a re-embedding both serve. */
      embedders: Embedder[];
      /** Embedded mode's second vectors (chunk_sentence_vectors), when enabled. */
      sentenceEncoder?: Embedder;
    },
    private readonly reranker: Reranker,
    private readonly logger: Logger,
  ) {}

  async retrieve(principal: Principal, query: string, options: RetrievalOptions): Promise<RetrievedPassage[]> {
    const startedAt = performance.now();
    const passages = await inSpan('retrieval', { 'tapeout.collections': options.collectionIds?.length ?? 'readable' }, async (span) => {
      const retrieved = await this.search(principal, query, options);
      span.setAttribute('tapeout.passages', retrieved.length);
      return retrieved;
    });
    retrievalDuration.observe(secondsSince(startedAt));
    return passages;
  }

  private async search(principal: Principal, query: string, options: RetrievalOptions): Promise<RetrievedPassage[]> {
    const candidates = options.candidates ?? 100;
    // Grants and filter resolved once, for all three kinds of search.
    const readable = await this.chunks.scopeFor(principal, { collectionIds: options.collectionIds, filter: options.filter });
    const limit = { limit: candidates };
    // Only models that some collection in scope is embedded with are worth a query embedding.
    const models = new Set(readable.collections.map((collection) => collection.model));
    const searches = this.vectors.embedders
      .filter((embedder) => models.has(embedder.model))
      // The CPU hashed vectors of a Chinese, Japanese or Korean question hash the very bigrams
      // BM25 scores, without their rarity: on a Chinese set they cost 0.03 nDCG@10 (docs/quality.md).
      .filter((embedder) => !(embedder instanceof HashingEmbedder && isMostlyBigramScript(query)))
      .map((embedder) =>
        inSpan('retrieval.vector_search', { 'tapeout.model': embedder.model }, () =>
          this.vectorSearch(embedder, options, (vector) => this.chunks.nearest(readable, vector, embedder.model, limit), query),
        ),
      );
    const encoder = this.vectors.sentenceEncoder;
    // The bundled encoder knows English only: on other text its vectors only add noise.
    const encoderFits = isMostlyLatin(query) && readable.collections.some((collection) => suitsSentenceEncoder(collection.language));
    if (encoder && encoderFits) {
      searches.push(
        inSpan('retrieval.sentence_vector_search', { 'tapeout.model': encoder.model }, () =>
          this.vectorSearch(encoder, options, (vector) => this.chunks.nearestBySentence(readable, vector, encoder.model, limit), query),
        ),
      );
    }
    const fullText = inSpan('retrieval.full_text_search', {}, () => this.chunks.fullText(readable, query, limit));
    const [textHits, ...vectorHits] = await Promise.all([fullText, ...searches]);
    const fused = withoutNearDuplicates(fuse([textHits!, ...vectorHits]).slice(0, candidates));
    const ranked = await inSpan('retrieval.rerank', { 'tapeout.candidates': fused.length }, () => this.rerank(query, fused, options));
    return inSpan('retrieval.read_documents', {}, () => this.withDocuments(ranked));
  }

  /** Embeds the query and searches its vectors; a failure costs this list only. */
  private async vectorSearch(
    embedder: Embedder,
    options: RetrievalOptions,
    search: (vector: number[]) => Promise<ChunkHit[]>,
    query: string,
  ): Promise<ChunkHit[]> {
    try {
      return await search(await embedder.embedQuery(query, options.signal));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      this.logger.warn({ err: error, model: embedder.model }, 'vector search failed; answering without this list');
      return [];
    }
  }

  private async rerank(query: string, fused: (ChunkHit & { relevance: number })[], options: RetrievalOptions) {
    const topK = options.topK ?? 10;
    try {
      const ranking = await this.reranker.rank(
        query,
        fused.map((hit) => hit.text),
        { topK, signal: options.signal },
      );
      return ranking
        .filter(({ score }) => score === null || options.scoreThreshold === undefined || score >= options.scoreThreshold)
        .map(({ index, score }) => ({ ...fused[index]!, relevance: score ?? fused[index]!.relevance }));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      this.logger.warn({ err: error }, 'reranking failed; keeping the fused order');
      return fused.slice(0, topK);
    }
  }

  private async withDocuments(hits: (ChunkHit & { relevance: number })[]): Promise<RetrievedPassage[]> {
    if (hits.length === 0) return [];
    const { rows } = await this.db.query<{ id: string; title: string; filename: string | null; origin: DocumentOrigin | null }>(
      'SELECT id, title, filename, origin FROM documents WHERE id = ANY($1::uuid[])',
      [[...new Set(hits.map((hit) => hit.documentId))]],
    );
    const documents = new Map(rows.map((row) => [row.id, row]));
    return hits.map((hit) => ({
      ...hit,
      title: documents.get(hit.documentId)?.title ?? '',
      filename: documents.get(hit.documentId)?.filename ?? null,
      origin: documents.get(hit.documentId)?.origin ?? null,
    }));
  }
}

/** Reciprocal rank fusion: each list adds 1 / (k + rank) for every chunk it ranks. */
export function fuse(lists: ChunkHit[][]): (ChunkHit & { relevance: number })[] {
  const fused = new Map<string, ChunkHit & { relevance: number }>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const entry = fused.get(hit.id) ?? { ...hit, relevance: 0 };
      entry.relevance += 1 / (rrfK + rank + 1);
      fused.set(hit.id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.relevance - a.relevance);
}
