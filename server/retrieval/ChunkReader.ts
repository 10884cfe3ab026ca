import type { Database } from '../db/Database.ts';
import { embeddingExpression, queryVectorCast, toVectorLiteral } from '../db/embeddingIndex.ts';
import type { Principal } from '../auth/Principal.ts';
import { CorpusStatistics } from './CorpusStatistics.ts';
import { identifierQuery, identifierTerms } from './identifierTerms.ts';

export interface ChunkHit {
  id: string;
  documentId: string;
  collectionId: string;
  text: string;
  headingPath: string[];
  page: number | null;
  /** Position in its document, for merging neighbours. */
  ordinal: number;
  score: number;
}

export interface ChunkQueryOptions {
  limit?: number;
  /** Narrow to these collections; grants are applied regardless. */
  collectionIds?: string[];
}

const hitColumns = `c.id::text AS id, c.document_id AS "documentId", c.collection_id AS "collectionId",
  c.text, c.heading_path AS "headingPath", c.page, c.ordinal`;

/**
 * The only way chunks are read. Every query takes the asking principal and keeps to
 * visible_collection_ids() inside SQL, to the document's current version (so a re-ingest swaps
 * atomically), and to vectors of the collection's current embedding model.
 */
export class ChunkReader {
  private readonly statistics: CorpusStatistics;

  constructor(private readonly db: Database) {
    this.statistics = new CorpusStatistics(db);
  }

  private static readonly scope = `
    JOIN documents d ON d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready'
    JOIN collections col ON col.id = c.collection_id AND col.embedding_model = c.embedding_model
    WHERE c.collection_id IN (SELECT visible_collection_ids($1))
      AND ($2::uuid[] IS NULL OR c.collection_id = ANY($2::uuid[]))`;

  /**
   * Okapi BM25 (k1 0.9, b 0.4, the Anserini defaults BEIR reports) over chunks matching any
   * word or identifier of the query: Postgres' own ts_rank has no inverse document frequency,
   * so a rare identifier would count no more than a common word. Title and heading words count
   * twice (a light BM25F). Document frequencies come from the matching chunks themselves, which
   * are exactly the chunks holding each term; chunk count and mean length from CorpusStatistics.
   * Words are reduced to letters and digits before they reach to_tsquery and identifiers are
   * quoted lexemes, so no input breaks the query syntax. One query per text-search
   * configuration in scope, each with a constant tsquery, so the GIN index finds the matches.
   */
  async fullText(principal: Principal, query: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    const words = [...new Set(query.match(/[\p{L}\p{N}]+/gu) ?? [])].join(' | ');
    const identifiers = identifierTerms(query);
    if (!words && identifiers.length === 0) return [];
    const { rows: scopes } = await this.db.query<{ config: string; collectionIds: string[] }>(
      `SELECT text_search_config::text AS config, array_agg(id) AS "collectionIds" FROM collections
        WHERE id IN (SELECT visible_collection_ids($1)) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
        GROUP BY 1`,
      [principal.userId, options.collectionIds ?? null],
    );
    const limit = options.limit ?? 50;
    const perConfig = await Promise.all(
      scopes.map(async ({ config, collectionIds }) => {
        const statistics = await this.statistics.of(collectionIds);
        const { rows } = await this.db.query<ChunkHit>(
          `WITH q AS (
             SELECT CASE WHEN $3 = '' THEN $4::tsquery WHEN $4 = '' THEN to_tsquery($6::regconfig, $3)
                         ELSE to_tsquery($6::regconfig, $3) || $4::tsquery END AS q),
           terms AS (
             SELECT lexeme FROM unnest(to_tsvector($6::regconfig, replace($3, '|', ' ')))
             UNION SELECT unnest($7::text[])),
           matched AS (
             SELECT c.id, c.tsv, c.token_count FROM chunks c CROSS JOIN q
             ${ChunkReader.scope}
              AND c.text_search_config = $6::regconfig AND c.tsv @@ q.q),
           frequencies AS (
             SELECT m.id, m.token_count AS length, u.lexeme,
                    GREATEST(1, (SELECT coalesce(sum(CASE WHEN w = 'A' THEN 2 ELSE 1 END), 0) FROM unnest(u.weights) w)) AS tf
               FROM matched m, unnest(m.tsv) u
              WHERE u.lexeme IN (SELECT lexeme FROM terms)),
           document_frequencies AS (SELECT lexeme, count(*) AS df FROM frequencies GROUP BY lexeme),
           scored AS (
             SELECT f.id, sum(ln(1 + ($8::float8 - df.df + 0.5) / (df.df + 0.5)) * f.tf * 1.9 / (f.tf + 0.9 * (0.6 + 0.4 * f.length / $9::float8))) AS score
               FROM frequencies f JOIN document_frequencies df USING (lexeme)
              GROUP BY f.id ORDER BY score DESC, f.id LIMIT $5)
           SELECT ${hitColumns}, s.score FROM scored s JOIN chunks c ON c.id = s.id ORDER BY s.score DESC, c.id`,
          [principal.userId, options.collectionIds ?? null, words, identifierQuery(identifiers), limit, config, identifiers,
            Math.max(statistics.chunks, 1), statistics.averageLength],
        );
        return rows;
      }),
    );
    return perConfig.flat().sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * Cosine nearest neighbours among chunks embedded by `model` (the model that embedded the
   * query: vectors of different models are not comparable, even at the same size).
   */
  async nearest(principal: Principal, embedding: number[], model: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    const dimension = embedding.length;
    const expression = embeddingExpression(dimension);
    const { rows } = await this.db.query<ChunkHit>(
      `SELECT ${hitColumns}, 1 - (${expression} <=> $3::${queryVectorCast(dimension)}) AS score
         FROM chunks c
         ${ChunkReader.scope}
          AND c.embedding_dimension = ${dimension} AND c.embedding_model = $5
        ORDER BY ${expression} <=> $3::${queryVectorCast(dimension)}
        LIMIT $4`,
      [principal.userId, options.collectionIds ?? null, toVectorLiteral(embedding), options.limit ?? 50, model],
    );
    return rows;
  }
}
