import type { Database } from '../db/Database.ts';
import { embeddingExpression, queryVectorCast, toVectorLiteral } from '../db/embeddingIndex.ts';
import type { Principal } from '../auth/Principal.ts';

export interface ChunkHit {
  id: string;
  documentId: string;
  collectionId: string;
  text: string;
  headingPath: string[];
  page: number | null;
  score: number;
}

export interface ChunkQueryOptions {
  limit?: number;
  /** Narrow to these collections; grants are applied regardless. */
  collectionIds?: string[];
}

const hitColumns = `c.id::text AS id, c.document_id AS "documentId", c.collection_id AS "collectionId",
  c.text, c.heading_path AS "headingPath", c.page`;

/**
 * The only way chunks are read. Every query takes the asking principal and keeps to
 * visible_collection_ids() inside SQL, to the document's current version (so a re-ingest swaps
 * atomically), and to vectors of the collection's current embedding model.
 */
export class ChunkReader {
  constructor(private readonly db: Database) {}

  private static readonly scope = `
    JOIN documents d ON d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready'
    JOIN collections col ON col.id = c.collection_id AND col.embedding_model = c.embedding_model
    WHERE c.collection_id IN (SELECT visible_collection_ids($1))
      AND ($2::uuid[] IS NULL OR c.collection_id = ANY($2::uuid[]))`;

  /**
   * Chunks matching any word of the query (a question rarely has every word in one passage),
   * ranked by cover density. Words are reduced to letters, digits and underscores before they
   * reach to_tsquery, so no input can break the query syntax.
   */
  async fullText(principal: Principal, query: string, options: ChunkQueryOptions = {}): Promise<ChunkHit[]> {
    const words = [...new Set(query.match(/[\p{L}\p{N}_]+/gu) ?? [])];
    if (words.length === 0) return [];
    const { rows } = await this.db.query<ChunkHit>(
      `SELECT ${hitColumns}, ts_rank_cd(c.tsv, q) AS score
         FROM chunks c
         CROSS JOIN LATERAL to_tsquery(c.text_search_config, $3) q
         ${ChunkReader.scope}
          AND c.tsv @@ q
        ORDER BY score DESC, c.id
        LIMIT $4`,
      [principal.userId, options.collectionIds ?? null, words.join(' | '), options.limit ?? 50],
    );
    return rows;
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
