import type { Database } from '../../server/db/Database.ts';
import type { Inference } from '../../server/inference/createInference.ts';
import { toVectorLiteral } from '../../server/db/embeddingIndex.ts';
import type { TaskDefinition } from '../../server/queue/JobQueue.ts';
import { embeddingText } from '../chunking/embeddingText.ts';
import { chunksLackingSentenceVectors } from './chunksLackingSentenceVectors.ts';
import type { TapeoutTasks } from '../../server/queue/tapeoutTasks.ts';

/** What encoding sentence vectors needs. */
type SentenceVectorDeps = { db: Database; inference: Pick<Inference, 'sentenceEncoder'> };

export type EmbedSentenceVectorsData = TapeoutTasks['EmbedSentenceVectorsTask'];

export const embedSentenceVectorsTaskName = 'EmbedSentenceVectorsTask' as const;
// Small batches: the encoder takes about 70 ms a passage, and a stopped task loses at most one batch.
const chunksPerBatch = 8;

/**
 * Gives the served chunks of a document their sentence-encoder vectors (chunk_sentence_vectors).
 * Runs after the document is ready, so ingestion keeps its speed; until it finishes, search uses
 * the document's text and hashed vectors. Idempotent: each pass takes chunks still lacking a
 * vector, so a retry or a second job for the same document only finishes what is left.
 */
export function embedSentenceVectorsTask(
  services: SentenceVectorDeps,
): TaskDefinition<EmbedSentenceVectorsData, typeof embedSentenceVectorsTaskName> {
  return {
    name: embedSentenceVectorsTaskName,
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    async handle({ documentId }) {
      const encoder = services.inference.sentenceEncoder;
      if (!encoder) return { skipped: 'the sentence encoder is off in this process' };
      let embedded = 0;
      for (;;) {
        const chunks = await chunksLacking(services, documentId, encoder.model);
        if (chunks.length === 0) break;
        const vectors = await encoder.embedPassages(chunks.map((chunk) => embeddingText(chunk)));
        await services.db.query(
          `INSERT INTO chunk_sentence_vectors (chunk_id, model, collection_id, embedding)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::vector[])
           ON CONFLICT DO NOTHING`,
          [
            chunks.map((chunk) => chunk.id),
            chunks.map(() => encoder.model),
            chunks.map((chunk) => chunk.collectionId),
            vectors.map(toVectorLiteral),
          ],
        );
        embedded += chunks.length;
      }
      if (embedded > 0) services.db.noteWrites();
      return { chunks: embedded };
    },
  };
}

/** Chunks of the document's served version and its collection's current model without a vector of `model`. */
async function chunksLacking(services: SentenceVectorDeps, documentId: string, model: string) {
  const { rows } = await services.db.query<{ id: string; collectionId: string; text: string; headingPath: string[] }>(
    `SELECT c.id::text AS id, c.collection_id AS "collectionId", c.text, c.heading_path AS "headingPath"
       FROM ${chunksLackingSentenceVectors('$2')} AND c.document_id = $1
      ORDER BY c.ordinal LIMIT $3`,
    [documentId, model, chunksPerBatch],
  );
  return rows;
}
