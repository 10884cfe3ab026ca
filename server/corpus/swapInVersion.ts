import type pg from 'pg';
import type { Chunk } from './Chunk.ts';
import type { IngestionJob } from './ingestionJobs.ts';
import { markJob, type IngestionJobView } from './ingestionJobs.ts';
import { modelsInUse } from './collectionRepository.ts';
import { findDocument, markVersionServed } from './documentRepository.ts';
import { deleteOtherVersionsChunks, deleteVersionChunks, insertChunks, type ChunkVectors } from './chunkRepository.ts';

export type { ChunkVectors };

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
  const current = await findDocument(client, job.documentId, { lock: true });
  if (!current) return { swapped: false };
  if (current.status === 'ready' && current.version > job.targetVersion) return { swapped: false };
  const vectorsNow = await vectorsOfCurrentModels(client, job.collectionId, vectorSets);
  await deleteVersionChunks(client, job.documentId, job.targetVersion);
  for (const vectors of vectorsNow) await insertChunks(client, job, chunks, vectors);
  await markVersionServed(client, job.documentId, {
    version: job.targetVersion,
    contentHash: job.contentHash,
    storagePath: job.storagePath,
    byteSize: job.byteSize,
    mimeType: document.mimeType,
    title: document.title,
  });
  await deleteOtherVersionsChunks(client, job.documentId, job.targetVersion);
  const view = await markJob(client, job.id, { state: 'completed', stage: 'done', progress: 100, error: null });
  const supersededPath = current.storagePath && current.storagePath !== job.storagePath ? current.storagePath : null;
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
  const models = await modelsInUse(client, collectionId);
  const kept = vectorSets.filter((vectors) => vectors.model === models?.current || vectors.model === models?.next);
  if (kept.length === 0)
    throw new EmbeddingModelChangedError(
      models?.current ?? '(none: the collection is gone)',
      vectorSets.map((vectors) => vectors.model),
    );
  return kept;
}
