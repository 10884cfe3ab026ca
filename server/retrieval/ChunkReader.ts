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

interface CollectionInScope {
  id: string;
  config: string;
  /** The model of the collection's current vectors. */
  model: string;
}

const hitColumns = `c.id::text AS id, c.document_id AS "documentId", c.collection_id AS "collectionId",
  c.text, c.heading_path AS "headingPath", c.page, c.ordinal`;

/**
 * The only way chunks are read. Every search takes the asking principal: the collections it may
 * read are resolved in SQL (visible_collection_ids(), never from the caller), narrowed to those
 * requested, and only their chunks are searched; results keep to each document's current
 * version (so a re-ingest swaps atomically) and to each collection's current embedding model.
 * Searches resolve that scope first and rank inside it, because ranking through joins makes
 * the planner sort every chunk when table statistics are stale.
 */
export class ChunkReader {
  private readonly statistics: CorpusStatistics;

  constructor(private readonly db: Database) {
    this.statistics = new CorpusStatistics(db);
  }

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
    const byConfig = new Map<string, CollectionInScope[]>();
    for (const collection of await this.scopeOf(principal, options.collectionIds)) {
      byConfig.set(collection.config, [...(byConfig.get(collection.config) ?? []), collection]);
    }
    const limit = options.limit ?? 50;
    const perConfig = await Promise.all(
      [...byConfig].map(async ([config, collections]) => {
        const collectionIds = collections.map((collection) => collection.id);
        const statistics = await this.statistics.of(collectionIds);
        const { rows } = await this.db.query<ChunkHit>(
          `WITH q AS (
             SELECT CASE WHEN $3 = '' THEN $4::tsquery WHEN $4 = '' THEN to_tsquery($6::regconfig, $3)
                         ELSE to_tsquery($6::regconfig, $3) || $4::tsquery END AS q),
           terms AS (
             SELECT lexeme FROM unnest(to_tsvector($6::regconfig, replace($3, '|', ' ')))
             UNION SELECT unnest($7::text[])),
           -- Each collection's chunks of its current embedding model (one copy during a re-embedding).
           matched AS MATERIALIZED (
             SELECT c.id, c.tsv, c.token_count FROM chunks c CROSS JOIN q
              WHERE c.tsv @@ q.q AND c.text_search_config = $6::regconfig
                AND (c.collection_id, c.embedding_model) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))),
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
           SELECT ${hitColumns}, s.score
             FROM scored s
             CROSS JOIN LATERAL (SELECT * FROM chunks WHERE chunks.id = s.id OFFSET 0) c
             CROSS JOIN LATERAL (SELECT 1 FROM documents d
                                  WHERE d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready' OFFSET 0) served
            ORDER BY s.score DESC, c.id`,
          [collectionIds, collections.map((collection) => collection.model), words, identifierQuery(identifiers), limit, config, identifiers,
            Math.max(statistics.chunks, 1), statistics.averageLength],
        );
        return rows;
      }),
    );
    return perConfig.flat().sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * Cosine nearest neighbours among chunks embedded by `model` (the model that embedded the
   * query: vectors of different models are not comparable, even at the same size). The HNSW
   * index drives the search: the collections in scope are resolved first and passed as a list,
   * because joins inside the ranked query make Postgres sort every chunk instead. pgvector's
   * iterative scan keeps searching when the scope filters out candidates, and ef_search is
   * raised to the number of results wanted (by default it stops at 40).
   */
  async nearest(principal: Principal, embedding: number[], model: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    const dimension = embedding.length;
    const expression = embeddingExpression(dimension);
    const limit = options.limit ?? 50;
    const collectionIds = (await this.scopeOf(principal, options.collectionIds)).filter((c) => c.model === model).map((c) => c.id);
    if (collectionIds.length === 0) return [];
    return this.db.transaction(async (client) => {
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(40, Math.floor(limit)))}`);
      await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      const { rows } = await client.query<ChunkHit>(
        // The lateral lookups (OFFSET 0 keeps the planner from flattening them) hold the plan to
        // "index scan, then primary-key reads" even with stale table statistics: the embedded
        // database has no autovacuum to refresh them.
        `WITH n AS MATERIALIZED (
           SELECT c.id, ${expression} <=> $1::${queryVectorCast(dimension)} AS distance
             FROM chunks c
            WHERE c.embedding_dimension = ${dimension} AND c.embedding_model = $2 AND c.collection_id = ANY($3::uuid[])
            ORDER BY ${expression} <=> $1::${queryVectorCast(dimension)}
            LIMIT $4)
         SELECT ${hitColumns}, 1 - n.distance AS score
           FROM n
           CROSS JOIN LATERAL (SELECT * FROM chunks WHERE chunks.id = n.id OFFSET 0) c
           CROSS JOIN LATERAL (SELECT 1 FROM documents d
                                WHERE d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready' OFFSET 0) served
          ORDER BY n.distance, c.id`,
        [toVectorLiteral(embedding), model, collectionIds, limit],
      );
      return rows;
    });
  }

  /** The embedding models of the collections in scope: the only ones worth embedding a query with. */
  async modelsInScope(principal: Principal, requested?: string[]): Promise<Set<string>> {
    return new Set((await this.scopeOf(principal, requested)).map((collection) => collection.model));
  }

  /** The collections the principal may read (decided in SQL), narrowed to `requested`. */
  private async scopeOf(principal: Principal, requested: string[] | undefined): Promise<CollectionInScope[]> {
    const { rows } = await this.db.query<CollectionInScope>(
      `SELECT id, text_search_config::text AS config, embedding_model AS model FROM collections
        WHERE id IN (SELECT visible_collection_ids($1)) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
      [principal.userId, requested ?? null],
    );
    return rows;
  }
}
