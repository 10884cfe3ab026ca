import type { ChunkLines } from '../corpus/Chunk.ts';
import type { Database } from '../db/Database.ts';
import { embeddingExpression, queryVectorCast, toVectorLiteral } from '../db/embeddingIndex.ts';
import { inlineParameters } from '../db/inlineParameters.ts';
import type { Principal } from '../auth/Principal.ts';
import { inverseDocumentFrequency, termStatistics, termsToMatch, type SearchScope } from './fullTextSearch.ts';
import { suitsSentenceEncoder } from '../language/languages.ts';
import { searchTokens } from '../language/searchTokens.ts';
import { identifierQuery, identifierTerms } from '../language/identifierTerms.ts';
import type { NormalisedFilter } from './retrievalFilter.ts';
import { ReadScopes, type CollectionInScope, type FilteredDocuments, type ReadScope } from './ReadScopes.ts';

export interface ChunkHit {
  id: string;
  documentId: string;
  collectionId: string;
  text: string;
  headingPath: string[];
  page: number | null;
  /** The lines of its file it holds, when known (code from a source). */
  lines: ChunkLines | null;
  /** Position in its document, for merging neighbours. */
  ordinal: number;
  score: number;
}

export interface ChunkQueryOptions {
  limit?: number;
  /** Narrow to these collections; grants are applied regardless. */
  collectionIds?: string[];
  /** Narrow to documents matching this (see retrievalFilter.ts). */
  filter?: NormalisedFilter;
}

/** Chunks a search may read to find candidates, at least: see termsToMatch. */
const minimumMatchBudget = 1000;

/**
 * HNSW's candidate list (hnsw.ef_search), by the chunks searched. Measured on the chat
 * benchmark's text, 100 results wanted: the share of the exact top 10 found was 1.000 at 400 on
 * 3k and 10k chunks (0.96 to 1.000 at 200 over two index builds, 0.995 at 100), 0.983 at 400 and
 * 1.000 at 1,000 on 30k, and 0.85 at 100 but 0.996 at 1,000 on 100k. Each step up costs time on
 * every question: 8.6 ms at 400 and 13.6 ms at 1,000 on 10k chunks.
 */
export function efSearchFor(chunks: number, wanted: number): number {
  const bySize = chunks <= 20_000 ? 400 : 1000;
  return Math.min(1000, Math.max(wanted, bySize));
}

/** Filtered searches over at most this many chunks skip the approximate index: see searchedExactly. */
const exactSearchChunks = 5000;

/**
 * Whether a vector search is exact: when a filter leaves few chunks, distances to all of them are
 * cheap, and an approximate index walk could stop before it reaches them. Ordering by
 * `distance + 0` keeps the planner off the HNSW index (it only serves the bare operator).
 */
function searchedExactly(filtered: FilteredDocuments | undefined): boolean {
  return filtered !== undefined && filtered.chunks <= exactSearchChunks;
}

function chunksIn(collections: readonly CollectionInScope[]): number {
  return collections.reduce((sum, collection) => sum + collection.chunks, 0);
}

const hitColumns = `c.id::text AS id, c.document_id AS "documentId", c.collection_id AS "collectionId",
  c.text, c.heading_path AS "headingPath", c.page, c.ordinal,
  CASE WHEN c.line_start IS NOT NULL THEN json_build_object('start', c.line_start, 'end', c.line_end) END AS lines`;

/**
 * The only way chunks are read. Every search takes the asking principal: the collections it may
 * read are resolved in SQL (readable_collection_ids(), never from the caller), narrowed to those
 * requested, and only their chunks are searched; results keep to each document's current
 * version (so a re-ingest swaps atomically) and to each collection's current embedding model.
 * Searches resolve that scope first and rank inside it, because ranking through joins makes
 * the planner sort every chunk when table statistics are stale.
 */
export class ChunkReader {
  private readonly scopes: ReadScopes;

  constructor(private readonly db: Database) {
    this.scopes = new ReadScopes(db);
  }

  /** Resolves what the principal's searches may read (see ReadScope). */
  scopeFor(principal: Principal, options: Pick<ChunkQueryOptions, 'collectionIds' | 'filter'> = {}): Promise<ReadScope> {
    return this.scopes.scopeFor(principal, options);
  }

  private resolve(who: Principal | ReadScope, options: ChunkQueryOptions): Promise<ReadScope> {
    return this.scopes.resolve(who, options);
  }

  /**
   * Okapi BM25 (k1 0.9, b 0.4, the Anserini defaults BEIR reports) over the chunks holding the
   * query's rarer words or identifiers (termsToMatch): Postgres' own ts_rank has no inverse
   * document frequency, so a rare identifier would count no more than a common word. Title and
   * heading words count twice (a light BM25F). Document frequencies, chunk count and mean length
   * come from the statistics tables; term counts from weighted_term_frequency(). Lexemes are
   * quoted, so no input breaks the query syntax. One query
   * per text-search configuration in scope, each with a constant tsquery, so the GIN index finds
   * the candidates. The query is cut into words by searchTokens(), as chunks' text is by
   * searchText(): a Chinese or Thai question is segmented exactly as the text it should match.
   */
  async fullText(who: Principal | ReadScope, query: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    // The question's words only: an address or a hyphenated compound in a question should match
    // its parts in the text, which the parser indexes beside the whole.
    const words = [...new Set(searchTokens(query))].join(' ');
    const identifiers = identifierTerms(query);
    if (!words && identifiers.length === 0) return [];
    const { collections: readable, filtered, withheld } = await this.resolve(who, options);
    if (filtered?.ids.length === 0) return [];
    const byConfig = new Map<string, CollectionInScope[]>();
    for (const collection of readable) byConfig.set(collection.config, [...(byConfig.get(collection.config) ?? []), collection]);
    const limit = options.limit ?? 50;
    const perConfig = await Promise.all(
      [...byConfig].map(([config, collections]) =>
        this.bm25(
          { config, collectionIds: collections.map((c) => c.id), models: collections.map((c) => c.model) },
          words,
          identifiers,
          limit,
          { documentIds: filtered?.ids ?? null, withheld },
        ),
      ),
    );
    return perConfig
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  private async bm25(
    scope: SearchScope,
    words: string,
    identifiers: string[],
    limit: number,
    documents: { documentIds: string[] | null; withheld: readonly string[] },
  ): Promise<ChunkHit[]> {
    const statistics = await termStatistics(this.db, scope, words, identifiers);
    if (statistics.terms.length === 0) return [];
    const matched = termsToMatch(statistics.terms, Math.max(minimumMatchBudget, 10 * limit), limit);
    const { rows } = await this.db.query<ChunkHit>(
      `WITH terms AS MATERIALIZED (SELECT * FROM unnest($3::tsquery[], $4::float8[]) t(lexeme, idf)),
       candidates AS MATERIALIZED (
         -- tsv || '' detoasts each vector once here, not once per ts_rank call below.
         SELECT c.id, c.tsv || ''::tsvector AS tsv, c.token_count FROM chunks c
          WHERE c.tsv @@ $5::tsquery
            AND (c.collection_id, c.embedding_model) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
            AND ($8::uuid[] IS NULL OR c.document_id = ANY($8::uuid[]))
            AND NOT (c.document_id = ANY($9::uuid[]))),
       scored AS (
         SELECT m.id, sum(t.idf * f.tf * 1.9 / (f.tf + 0.9 * (0.6 + 0.4 * m.token_count / $6::float8))) AS score
           FROM candidates m CROSS JOIN terms t
           -- @@ (a binary search of the vector) skips the pairs without the term before the costlier count.
           CROSS JOIN LATERAL (SELECT weighted_term_frequency(m.tsv, t.lexeme) AS tf WHERE m.tsv @@ t.lexeme OFFSET 0) f
          WHERE f.tf > 0
          GROUP BY m.id ORDER BY score DESC, m.id LIMIT $7)
       SELECT ${hitColumns}, s.score
         FROM scored s
         CROSS JOIN LATERAL (SELECT * FROM chunks WHERE chunks.id = s.id OFFSET 0) c
         CROSS JOIN LATERAL (SELECT 1 FROM documents d
                              WHERE d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready' OFFSET 0) served
        ORDER BY s.score DESC, c.id`,
      [
        scope.collectionIds,
        scope.models,
        statistics.terms.map((term) => identifierQuery([term.lexeme])),
        statistics.terms.map((term) => inverseDocumentFrequency(term.chunks, statistics.chunks)),
        identifierQuery(matched.map((term) => term.lexeme)),
        statistics.averageLength,
        limit,
        documents.documentIds,
        documents.withheld,
      ],
    );
    return rows;
  }

  /**
   * Cosine nearest neighbours among chunks embedded by `model` (the model that embedded the
   * query: vectors of different models are not comparable, even at the same size). The HNSW
   * index drives the search: the collections in scope are resolved first and passed as a list,
   * because joins inside the ranked query make Postgres sort every chunk instead.
   */
  async nearest(who: Principal | ReadScope, embedding: number[], model: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    const dimension = embedding.length;
    const expression = embeddingExpression(dimension);
    const { collections, filtered, withheld } = await this.resolve(who, options);
    const searched = collections.filter((c) => c.model === model);
    const collectionIds = searched.map((c) => c.id);
    if (collectionIds.length === 0 || filtered?.ids.length === 0) return [];
    const distance = `${expression} <=> $1::${queryVectorCast(dimension)}`;
    const hits = await this.annSearch(
      `SELECT c.id, ${distance} AS distance
         FROM chunks c
        WHERE c.embedding_dimension = ${dimension} AND c.embedding_model = $2 AND c.collection_id = ANY($3::uuid[])
          AND ($5::uuid[] IS NULL OR c.document_id = ANY($5::uuid[]))
          AND NOT (c.document_id = ANY($6::uuid[]))
        ORDER BY ${searchedExactly(filtered) ? `(${distance}) + 0` : distance}
        LIMIT $4`,
      [toVectorLiteral(embedding), model, collectionIds, options.limit ?? 50, filtered?.ids ?? null, withheld],
      searchedExactly(filtered) ? 'exact' : efSearchFor(chunksIn(searched), options.limit ?? 50),
    );
    return hits.map(({ embeddingModel: _, ...hit }) => hit);
  }

  /**
   * Cosine nearest neighbours by the sentence encoder's vectors (chunk_sentence_vectors), of each
   * collection's current chunks; only collections in a language the encoder knows have them.
   */
  async nearestBySentence(
    who: Principal | ReadScope,
    embedding: number[],
    model: string,
    options: ChunkQueryOptions = {},
  ): Promise<ChunkHit[]> {
    const resolved = await this.resolve(who, options);
    const scope = resolved.collections.filter((collection) => suitsSentenceEncoder(collection.language));
    const filtered = resolved.filtered;
    if (scope.length === 0 || filtered?.ids.length === 0) return [];
    const ranked = searchedExactly(filtered)
      ? `SELECT v.chunk_id AS id, v.embedding <=> $1::vector(512) AS distance
           FROM chunks c JOIN chunk_sentence_vectors v ON v.chunk_id = c.id AND v.model = $2
          WHERE c.collection_id = ANY($3::uuid[]) AND c.document_id = ANY($5::uuid[]) AND NOT (c.document_id = ANY($6::uuid[]))
          ORDER BY (v.embedding <=> $1::vector(512)) + 0
          LIMIT $4`
      : `SELECT v.chunk_id AS id, v.embedding <=> $1::vector(512) AS distance
           FROM chunk_sentence_vectors v
          WHERE v.model = $2 AND v.collection_id = ANY($3::uuid[])
            AND ($5::uuid[] IS NULL OR EXISTS (SELECT 1 FROM chunks c WHERE c.id = v.chunk_id AND c.document_id = ANY($5::uuid[])))
            -- A restricted document's vectors carry no document id: its chunks are looked up, only when some are withheld.
            AND (cardinality($6::uuid[]) = 0 OR NOT EXISTS (SELECT 1 FROM chunks c WHERE c.id = v.chunk_id AND c.document_id = ANY($6::uuid[])))
          ORDER BY v.embedding <=> $1::vector(512)
          LIMIT $4`;
    const limit = options.limit ?? 50;
    const hits = await this.annSearch(
      ranked,
      [toVectorLiteral(embedding), model, scope.map((c) => c.id), limit, filtered?.ids ?? null, resolved.withheld],
      searchedExactly(filtered) ? 'exact' : efSearchFor(chunksIn(scope), limit),
    );
    // During a re-embedding a collection has two copies of its chunks; keep the served one.
    const current = new Map(scope.map((collection) => [collection.id, collection.model]));
    return hits.filter((hit) => current.get(hit.collectionId) === hit.embeddingModel).map(({ embeddingModel: _, ...hit }) => hit);
  }

  /**
   * Runs a nearest-neighbour query (`ranked` yields id and distance; $4 is the limit) and reads
   * the hits. Unless the search is exact, the HNSW index drives it: sorting is ruled out, because
   * with stale statistics (a table just filled, before ANALYZE) the planner would rather sort the
   * whole table by distance; pgvector's iterative scan keeps searching when the scope filters out
   * candidates; and ef_search grows with the chunks searched (efSearchFor).
   */
  private async annSearch(ranked: string, params: unknown[], search: 'exact' | number): Promise<(ChunkHit & { embeddingModel: string })[]> {
    const settings =
      search === 'exact'
        ? []
        : [
            'SET LOCAL enable_sort = off',
            `SET LOCAL hnsw.ef_search = ${Math.floor(search)}`,
            'SET LOCAL hnsw.iterative_scan = relaxed_order',
          ];
    // One message, not a transaction of four round trips (see Database.queryInOneMessage).
    const { rows } = await this.db.queryInOneMessage<ChunkHit & { embeddingModel: string }>([
      ...settings,
      // The lateral lookups (OFFSET 0 keeps the planner from flattening them) hold the plan to
      // "index scan, then primary-key reads" even with stale table statistics: the embedded
      // database has no autovacuum to refresh them.
      inlineParameters(
        `WITH n AS MATERIALIZED (${ranked})
         SELECT ${hitColumns}, c.embedding_model AS "embeddingModel", 1 - n.distance AS score
           FROM n
           CROSS JOIN LATERAL (SELECT * FROM chunks WHERE chunks.id = n.id OFFSET 0) c
           CROSS JOIN LATERAL (SELECT 1 FROM documents d
                                WHERE d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready' OFFSET 0) served
          ORDER BY n.distance, c.id`,
        params,
      ),
    ]);
    return rows;
  }
}
