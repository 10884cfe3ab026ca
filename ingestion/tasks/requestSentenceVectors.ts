import { createHash } from 'node:crypto';
import type { Database } from '../../server/db/Database.ts';
import type { Inference } from '../../server/inference/createInference.ts';
import type { JobQueue } from '../../server/queue/JobQueue.ts';
import { embedSentenceVectorsTaskName } from './EmbedSentenceVectorsTask.ts';
import { chunksLackingSentenceVectors } from './chunksLackingSentenceVectors.ts';

export type SentenceVectorRequestDeps = { db: Database; queue: JobQueue; inference: Pick<Inference, 'sentenceEncoder'> };

/** A document's served chunks: its served version, embedded with its collection's current model. */
export interface ServedChunks {
  id: string;
  version: number;
  model: string;
}

/**
 * Queues EmbedSentenceVectorsTask for a document's served version (after an ingestion swap), or,
 * without a document, for every served document still lacking sentence vectors (at start-up:
 * work a stopped process left, or a collection re-embedded since). No-op when the encoder is off.
 */
export async function requestSentenceVectors(services: SentenceVectorRequestDeps, document?: ServedChunks): Promise<number> {
  const encoder = services.inference.sentenceEncoder;
  if (!encoder) return 0;
  const documents = document
    ? [document]
    : (
        await services.db.query<ServedChunks>(
          `SELECT DISTINCT d.id, d.version, c.embedding_model AS model FROM ${chunksLackingSentenceVectors('$1')}`,
          [encoder.model],
        )
      ).rows;
  for (const { id, version, model } of documents) {
    // One job per set of chunks: a new version, or new chunks after a re-embedding, gets its own.
    const chunksKey = createHash('sha256').update(`${version}:${model}`).digest('hex').slice(0, 12);
    await services.queue.enqueue(
      embedSentenceVectorsTaskName,
      { documentId: id },
      { jobId: `sentence-vectors-${id}-${chunksKey}`, background: true },
    );
  }
  return documents.length;
}

/** How many served chunks of a collection still lack a sentence vector (0 when the encoder is off). */
export async function sentenceVectorBacklog(services: SentenceVectorRequestDeps, collectionId: string): Promise<number> {
  const encoder = services.inference.sentenceEncoder;
  if (!encoder) return 0;
  const { rows } = await services.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${chunksLackingSentenceVectors('$2')} AND c.collection_id = $1`,
    [collectionId, encoder.model],
  );
  return rows[0]!.n;
}
