import type { Database } from '../db/Database.ts';

/** A query term as stored in the search vectors, with the number of chunks in scope holding it. */
export interface QueryTerm {
  lexeme: string;
  chunks: number;
}

export interface TermStatistics {
  terms: QueryTerm[];
  /** Chunks in scope, and their mean length in tokens. */
  chunks: number;
  averageLength: number;
}

/** The collections searched, each with the embedding model whose copy of its chunks is read. */
export interface SearchScope {
  collectionIds: string[];
  models: string[];
  config: string;
}

/**
 * The query's terms as the text-search configuration reduces them (stemmed, stop words out)
 * plus its identifiers verbatim, with their document frequencies and the scope's size, all from
 * the statistics tables the chunk triggers keep (migration 1764300000000): no chunk is read.
 */
export async function termStatistics(db: Database, scope: SearchScope, words: string, identifiers: string[]): Promise<TermStatistics> {
  const { rows } = await db.query<{ lexeme: string; df: number; chunks: number; tokens: number }>(
    `WITH scope AS (SELECT * FROM unnest($1::uuid[], $2::text[]) s(collection_id, embedding_model)),
     terms AS (SELECT DISTINCT lexeme FROM (SELECT unnest(tsvector_to_array(to_tsvector($3::regconfig, $4)))
                                            UNION ALL SELECT unnest($5::text[])) t(lexeme)),
     totals AS (SELECT coalesce(sum(chunks), 0)::float8 AS chunks, coalesce(sum(tokens), 0)::float8 AS tokens
                  FROM chunk_statistics JOIN scope USING (collection_id, embedding_model))
     SELECT t.lexeme, totals.chunks, totals.tokens,
            coalesce((SELECT sum(s.chunks) FROM term_statistics s JOIN scope USING (collection_id, embedding_model)
                       WHERE s.lexeme = t.lexeme), 0)::float8 AS df
       FROM terms t CROSS JOIN totals`,
    [scope.collectionIds, scope.models, scope.config, words, identifiers],
  );
  const chunks = rows[0]?.chunks ?? 0;
  return {
    terms: rows.filter((row) => row.df > 0).map((row) => ({ lexeme: row.lexeme, chunks: row.df })),
    chunks,
    averageLength: chunks > 0 ? rows[0]!.tokens / chunks : 1,
  };
}

/**
 * Which terms a chunk must hold to be scored: the rarest ones, until their postings would pass
 * `budget` (once at least `wanted` are covered). Reading every chunk that holds a common word
 * costs time in proportion to the corpus, while a chunk holding only common words rarely ranks
 * in the top results (its score is bounded by those words' small IDFs; the MaxScore idea).
 * Every candidate is still scored on all the query's terms.
 */
export function termsToMatch(terms: QueryTerm[], budget: number, wanted: number): QueryTerm[] {
  const chosen: QueryTerm[] = [];
  let postings = 0;
  for (const term of [...terms].sort((a, b) => a.chunks - b.chunks)) {
    if (chosen.length > 0 && postings >= wanted && postings + term.chunks > budget) break;
    chosen.push(term);
    postings += term.chunks;
  }
  return chosen;
}

/** Okapi BM25's inverse document frequency (the Lucene form, never negative). */
export function inverseDocumentFrequency(chunksWithTerm: number, chunks: number): number {
  return Math.log(1 + (chunks - chunksWithTerm + 0.5) / (chunksWithTerm + 0.5));
}
