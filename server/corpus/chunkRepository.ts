import type pg from 'pg';
import type { Chunk } from './Chunk.ts';
import type { IngestionJob } from './ingestionJobs.ts';
import type { Queryable } from '../db/Database.ts';
import { toVectorLiteral } from '../db/embeddingIndex.ts';
import { searchText, textAnalyzerVersion } from '../language/searchTokens.ts';
import { identifierTerms } from '../language/identifierTerms.ts';

/**
 * The SQL that writes the search index (`chunks`) and walks it for rewrites. Retrieval's searches
 * over it are read models (server/retrieval/). A document's chunks exist per version and per
 * embedding model; only the served version's are searched.
 */

const rowsPerInsert = 200;

/** The chunks' vectors from one embedding model. */
export interface ChunkVectors {
  model: string;
  embeddings: number[][];
}

/** Where chunks go: a document version of a collection. */
export type ChunkTarget = Pick<IngestionJob, 'documentId' | 'collectionId' | 'targetVersion'>;

const columnTypes = ['int', 'text', 'text[]', 'int', 'int', 'int', 'text', 'text[]', 'text', 'text', 'int', 'int'];

/**
 * Writes chunks with one model's vectors, in multi-row inserts. Each chunk's search vector is
 * built from its segmented words (searchTokens.ts) with the collection's text-search
 * configuration as it is now, read under a share lock: a language change waits for this
 * transaction, and its reindexing then sees these rows.
 */
export async function insertChunks(
  client: pg.PoolClient,
  job: ChunkTarget,
  chunks: Chunk[],
  { model, embeddings }: ChunkVectors,
): Promise<void> {
  const fixed = 5; // $1..$5 below: document, collection, version, model, text analyzer
  for (let start = 0; start < chunks.length; start += rowsPerInsert) {
    const values: unknown[] = [];
    const tuples = chunks.slice(start, start + rowsPerInsert).map((chunk, offset) => {
      const ordinal = start + offset;
      const embedding = embeddings[ordinal]!;
      const p = fixed + values.length; // placeholders $p+1 .. $p+12 are this row's values
      const identifiers = identifierTerms([...chunk.headingPath, chunk.text].join('\n'));
      values.push(
        ordinal,
        chunk.text,
        chunk.headingPath,
        chunk.page,
        chunk.tokenCount,
        embedding.length,
        toVectorLiteral(embedding),
        identifiers,
        searchText(chunk.headingPath.join('\n')),
        searchText(chunk.text),
        chunk.lines?.start ?? null,
        chunk.lines?.end ?? null,
      );
      return `(${columnTypes.map((type, i) => `$${p + i + 1}::${type}`).join(', ')})`;
    });
    await client.query(
      `WITH collection AS (SELECT text_search_config AS config FROM collections WHERE id = $2 FOR SHARE)
       INSERT INTO chunks (document_id, collection_id, document_version, ordinal, text, heading_path, page, token_count,
                           embedding_model, embedding_dimension, embedding, text_search_config, identifiers, tsv, text_analyzer,
                           line_start, line_end)
       SELECT $1, $2, $3, v.ordinal, v.text, v.heading_path, v.page, v.token_count, $4, v.dimension, v.embedding::vector,
              collection.config, v.identifiers, chunk_search_vector(collection.config, v.heading_words, v.body_words, v.identifiers), $5,
              v.line_start, v.line_end
         FROM collection, (VALUES ${tuples.join(', ')})
              v(ordinal, text, heading_path, page, token_count, dimension, embedding, identifiers, heading_words, body_words, line_start, line_end)`,
      [job.documentId, job.collectionId, job.targetVersion, model, textAnalyzerVersion, ...values],
    );
  }
}

/** Deletes chunks of one version of a document: all of them, or only those embedded by `model`. */
export async function deleteVersionChunks(db: Queryable, documentId: string, version: number, model?: string): Promise<void> {
  await db.query('DELETE FROM chunks WHERE document_id = $1 AND document_version = $2 AND ($3::text IS NULL OR embedding_model = $3)', [
    documentId,
    version,
    model ?? null,
  ]);
}

/** Deletes the collection's chunks embedded by any model but `model` (after a switch to it). */
export async function deleteChunksOfOtherModels(db: Queryable, collectionId: string, model: string): Promise<void> {
  await db.query('DELETE FROM chunks WHERE collection_id = $1 AND embedding_model <> $2', [collectionId, model]);
}

/** Deletes every chunk of the document's other versions. */
export async function deleteOtherVersionsChunks(db: Queryable, documentId: string, keptVersion: number): Promise<void> {
  await db.query('DELETE FROM chunks WHERE document_id = $1 AND document_version <> $2', [documentId, keptVersion]);
}

/** A version's chunks, once each, in order; where several models embedded one, `preferredModel`'s row. */
export async function versionChunks(
  db: Queryable,
  documentId: string,
  version: number,
  preferredModel: string,
): Promise<(Chunk & { ordinal: number })[]> {
  const { rows } = await db.query<Chunk & { ordinal: number }>(
    `SELECT DISTINCT ON (ordinal) ordinal, text, heading_path AS "headingPath", page, token_count AS "tokenCount",
            CASE WHEN line_start IS NOT NULL THEN json_build_object('start', line_start, 'end', line_end) END AS lines
       FROM chunks WHERE document_id = $1 AND document_version = $2 ORDER BY ordinal, embedding_model = $3 DESC`,
    [documentId, version, preferredModel],
  );
  return rows;
}

/** The text of the first chunk of up to `documents` of the collection's documents. */
export async function firstChunksSample(db: Queryable, collectionId: string, documents: number): Promise<string[]> {
  const { rows } = await db.query<{ text: string }>(
    'SELECT text FROM chunks WHERE collection_id = $1 AND ordinal = 0 ORDER BY document_id LIMIT $2',
    [collectionId, documents],
  );
  return rows.map((row) => row.text);
}

/** SQL: a chunk (c, of collection col) indexed otherwise than now; `version` is the analyzer version's parameter. */
const stale = (version: string) => `(c.text_analyzer <> ${version} OR c.text_search_config <> col.text_search_config)`;

/** The next `limit` chunks of the collection after id `after` whose search vector is stale, in id order. */
export async function staleChunksAfter(
  db: Queryable,
  collectionId: string,
  after: string,
  limit: number,
): Promise<{ id: string; text: string; headingPath: string[] }[]> {
  const { rows } = await db.query<{ id: string; text: string; headingPath: string[] }>(
    `SELECT c.id::text AS id, c.text, c.heading_path AS "headingPath"
       FROM chunks c JOIN collections col ON col.id = c.collection_id
      WHERE c.collection_id = $1 AND c.id > $2::bigint AND ${stale('$3')}
      ORDER BY c.id LIMIT ${Number(limit)}`,
    [collectionId, after, textAnalyzerVersion],
  );
  return rows;
}

export async function hasStaleChunk(db: Queryable, collectionId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM chunks c JOIN collections col ON col.id = c.collection_id WHERE c.collection_id = $1 AND ${stale('$2')} LIMIT 1`,
    [collectionId, textAnalyzerVersion],
  );
  return Boolean(rowCount);
}

/** Rewrites the chunks' search vectors from their text, with their collection's configuration as it is now. */
export async function rewriteSearchVectors(db: Queryable, chunks: { id: string; text: string; headingPath: string[] }[]): Promise<void> {
  await db.query(
    `UPDATE chunks c SET tsv = chunk_search_vector(col.text_search_config, u.heading, u.body, c.identifiers),
            text_search_config = col.text_search_config, text_analyzer = $4
       FROM unnest($1::bigint[], $2::text[], $3::text[]) u(id, heading, body), collections col
      WHERE c.id = u.id AND col.id = c.collection_id`,
    [
      chunks.map((chunk) => chunk.id),
      chunks.map((chunk) => searchText(chunk.headingPath.join('\n'))),
      chunks.map((chunk) => searchText(chunk.text)),
      textAnalyzerVersion,
    ],
  );
}
