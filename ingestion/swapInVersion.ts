import type pg from 'pg';
import type { Chunk } from './chunking/chunkDocument.ts';
import type { IngestionJob } from './intake/ingestionJobs.ts';
import { markJob, type IngestionJobView } from './intake/ingestionJobs.ts';
import { toVectorLiteral } from '../server/db/embeddingIndex.ts';
import { searchText, textAnalyzerVersion } from '../server/language/searchTokens.ts';
import { identifierTerms } from '../server/retrieval/identifierTerms.ts';

const rowsPerInsert = 200;

/** The chunks' vectors from one embedding model. */
export interface ChunkVectors {
  model: string;
  embeddings: number[][];
}

export type SwapResult = { swapped: true; job: IngestionJobView | undefined; supersededPath: string | null } | { swapped: false };

/**
 * In one transaction: writes the job's chunks as the target version, makes that version the
 * served one, and deletes every other version's chunks. Readers (who only see the served
 * version) get the old chunks or the new ones, never a mix and never none; a crash before the
 * commit leaves nothing behind. During a re-embedding the chunks are written once per model.
 * Not swapped when a newer version was already swapped in (or the document was deleted).
 */
export async function swapInVersion(
  client: pg.PoolClient,
  job: IngestionJob,
  document: { title: string; mimeType: string },
  chunks: Chunk[],
  vectorSets: ChunkVectors[],
): Promise<SwapResult> {
  const { rows } = await client.query<{ version: number; status: string; storage_path: string | null }>(
    'SELECT version, status, storage_path FROM documents WHERE id = $1 FOR UPDATE',
    [job.documentId],
  );
  const current = rows[0];
  if (!current) return { swapped: false };
  if (current.status === 'ready' && current.version > job.targetVersion) return { swapped: false };
  const vectorsNow = await vectorsOfCurrentModels(client, job.collectionId, vectorSets);
  await client.query('DELETE FROM chunks WHERE document_id = $1 AND document_version = $2', [job.documentId, job.targetVersion]);
  for (const vectors of vectorsNow) await insertChunks(client, job, chunks, vectors);
  await client.query(
    `UPDATE documents SET version = $2, content_hash = $3, storage_path = $4, byte_size = $5, mime_type = $6, title = $7,
            status = 'ready', error = NULL, updated_at = now()
      WHERE id = $1`,
    [job.documentId, job.targetVersion, job.contentHash, job.storagePath, job.byteSize, document.mimeType, document.title],
  );
  await client.query('DELETE FROM chunks WHERE document_id = $1 AND document_version <> $2', [job.documentId, job.targetVersion]);
  const view = await markJob(client, job.id, { state: 'completed', stage: 'done', progress: 100, error: null });
  const supersededPath = current.storage_path && current.storage_path !== job.storagePath ? current.storage_path : null;
  return { swapped: true, job: view, supersededPath };
}

/** The collection switched embedding models after the job read them: its vectors would not be searched. */
class EmbeddingModelChangedError extends Error {
  constructor(collectionModel: string, embeddedWith: string[]) {
    super(
      `The collection's embedding model became ${collectionModel} while this document was embedded with ${embeddedWith.join(' and ')}; embedding it again.`,
    );
  }
}

/**
 * The vector sets of the models the collection uses now (its model, and the one it is being
 * re-embedded with), read under a share lock that a model switch (ReembedCollectionTask) waits
 * for: a job that read the models before the switch must not write chunks of the old model after
 * it, where nothing would search them and the switch's clean-up has passed. With none left it
 * throws, and the retry embeds with the models read afresh.
 */
async function vectorsOfCurrentModels(client: pg.PoolClient, collectionId: string, vectorSets: ChunkVectors[]): Promise<ChunkVectors[]> {
  const { rows } = await client.query<{ current: string; next: string | null }>(
    'SELECT embedding_model AS current, reembedding_model AS next FROM collections WHERE id = $1 FOR SHARE',
    [collectionId],
  );
  const models = rows[0];
  const kept = vectorSets.filter((vectors) => vectors.model === models?.current || vectors.model === models?.next);
  if (kept.length === 0)
    throw new EmbeddingModelChangedError(
      models?.current ?? '(none: the collection is gone)',
      vectorSets.map((vectors) => vectors.model),
    );
  return kept;
}

/** Where chunks go: a document version of a collection. */
export type ChunkTarget = Pick<IngestionJob, 'documentId' | 'collectionId' | 'targetVersion'>;

const columnTypes = ['int', 'text', 'text[]', 'int', 'int', 'int', 'text', 'text[]', 'text', 'text'];

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
      const p = fixed + values.length; // placeholders $p+1 .. $p+10 are this row's values
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
      );
      return `(${columnTypes.map((type, i) => `$${p + i + 1}::${type}`).join(', ')})`;
    });
    await client.query(
      `WITH collection AS (SELECT text_search_config AS config FROM collections WHERE id = $2 FOR SHARE)
       INSERT INTO chunks (document_id, collection_id, document_version, ordinal, text, heading_path, page, token_count,
                           embedding_model, embedding_dimension, embedding, text_search_config, identifiers, tsv, text_analyzer)
       SELECT $1, $2, $3, v.ordinal, v.text, v.heading_path, v.page, v.token_count, $4, v.dimension, v.embedding::vector,
              collection.config, v.identifiers, chunk_search_vector(collection.config, v.heading_words, v.body_words, v.identifiers), $5
         FROM collection, (VALUES ${tuples.join(', ')})
              v(ordinal, text, heading_path, page, token_count, dimension, embedding, identifiers, heading_words, body_words)`,
      [job.documentId, job.collectionId, job.targetVersion, model, textAnalyzerVersion, ...values],
    );
  }
}
