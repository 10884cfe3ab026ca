import type { Database } from '../../server/db/Database.ts';
import type { Inference } from '../../server/inference/createInference.ts';
import type { Embedder } from '../../server/inference/embeddings/Embedder.ts';
import { PermanentTaskError, type JobQueue, type TaskDefinition } from '../../server/queue/JobQueue.ts';
import type { Chunk } from '../chunking/chunkDocument.ts';
import { embeddingText } from '../chunking/embeddingText.ts';
import { requestSentenceVectors } from '../sentenceVectors/requestSentenceVectors.ts';
import { insertChunks } from '../swapInVersion.ts';
import type { TapeoutTasks } from '../../server/queue/tapeoutTasks.ts';

/** What re-embedding needs: the database, the embedders this process can run, and the queue for the follow-up sentence vectors. */
type ReembedDeps = { db: Database; queue: JobQueue; embedder: Embedder; inference: Pick<Inference, 'embedders' | 'sentenceEncoder'> };

export type ReembedCollectionData = TapeoutTasks['ReembedCollectionTask'];

export const reembedCollectionTaskName = 'ReembedCollectionTask' as const;
const documentsPerPass = 20;

interface Target {
  id: string;
  currentModel: string;
  newModel: string | null;
  newDimension: number | null;
}

/**
 * Gives every chunk of a collection a vector of its new embedding model (collections.
 * reembedding_model), document by document, beside the current vectors, which keep serving;
 * then switches the collection to the new model and drops the old vectors in one transaction.
 * Resumable and idempotent: a retry skips documents that already have the new vectors.
 */
export function reembedCollectionTask(services: ReembedDeps): TaskDefinition<ReembedCollectionData, typeof reembedCollectionTaskName> {
  return {
    name: reembedCollectionTaskName,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    async handle({ collectionId }, context) {
      const target = await loadTarget(services, collectionId);
      if (!target?.newModel) return { skipped: 'nothing to re-embed' };
      const embedder = services.inference.embedders.find((candidate) => candidate.model === target.newModel);
      if (!embedder) {
        const message = `The embedding model ${target.newModel} is not configured in this process (EMBEDDINGS_MODEL is ${services.embedder.model}).`;
        await services.db.query(`UPDATE collections SET reembedding_error = $2 WHERE id = $1`, [
          collectionId,
          JSON.stringify({ code: 'embedding_model_unavailable', message }),
        ]);
        throw new PermanentTaskError(message);
      }
      const total = await countReady(services, collectionId);
      let done = 0;
      for (;;) {
        const pending = await documentsLacking(services, target);
        if (pending.length === 0 && (await switchModel(services, target))) break;
        for (const document of pending) {
          await reembedDocument(services, target, document, (texts) => embedder.embedPassages(texts));
          done += 1;
          await context.updateProgress({
            collectionId,
            stage: 're-embedding',
            progress: Math.min(99, Math.floor((100 * done) / Math.max(1, total))),
          });
        }
      }
      services.db.noteWrites();
      // The new chunk rows need their own sentence vectors.
      await requestSentenceVectors(services);
      context.logger.info({ collectionId, model: target.newModel, documents: done }, 'collection re-embedded');
      return { documents: done, model: target.newModel };
    },
  };
}

async function loadTarget(services: ReembedDeps, collectionId: string): Promise<Target | undefined> {
  const { rows } = await services.db.query<Target>(
    `SELECT id, embedding_model AS "currentModel", reembedding_model AS "newModel", reembedding_dimension AS "newDimension"
       FROM collections WHERE id = $1`,
    [collectionId],
  );
  return rows[0];
}

async function countReady(services: ReembedDeps, collectionId: string): Promise<number> {
  const { rows } = await services.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents WHERE collection_id = $1 AND status = 'ready'`,
    [collectionId],
  );
  return rows[0]!.n;
}

/** Served documents whose served version has no vectors of the new model yet. */
async function documentsLacking(services: ReembedDeps, target: Target): Promise<{ id: string; version: number }[]> {
  const { rows } = await services.db.query<{ id: string; version: number }>(
    `SELECT d.id, d.version FROM documents d
      WHERE d.collection_id = $1 AND d.status = 'ready'
        AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id AND c.document_version = d.version AND c.embedding_model = $2)
      ORDER BY d.id LIMIT ${documentsPerPass}`,
    [target.id, target.newModel],
  );
  return rows;
}

async function reembedDocument(
  services: ReembedDeps,
  target: Target,
  document: { id: string; version: number },
  embed: (texts: string[]) => Promise<number[][]>,
) {
  const { rows } = await services.db.query<Chunk & { ordinal: number }>(
    `SELECT DISTINCT ON (ordinal) ordinal, text, heading_path AS "headingPath", page, token_count AS "tokenCount"
       FROM chunks WHERE document_id = $1 AND document_version = $2 ORDER BY ordinal, embedding_model = $3 DESC`,
    [document.id, document.version, target.currentModel],
  );
  const embeddings = await embed(rows.map(embeddingText));
  await services.db.transaction(async (client) => {
    // The document's lock orders this with a new version being swapped in: a replaced version is skipped.
    const { rows: current } = await client.query<{ version: number }>('SELECT version FROM documents WHERE id = $1 FOR UPDATE', [
      document.id,
    ]);
    if (current[0]?.version !== document.version) return;
    await client.query('DELETE FROM chunks WHERE document_id = $1 AND document_version = $2 AND embedding_model = $3', [
      document.id,
      document.version,
      target.newModel,
    ]);
    const chunkTarget = { documentId: document.id, collectionId: target.id, targetVersion: document.version };
    await insertChunks(client, chunkTarget, rows, { model: target.newModel!, embeddings });
  });
}

/** The swap: only when no served document still lacks new vectors, checked under the collection's lock. */
async function switchModel(services: ReembedDeps, target: Target): Promise<boolean> {
  return services.db.transaction(async (client) => {
    await client.query('SELECT 1 FROM collections WHERE id = $1 FOR UPDATE', [target.id]);
    const { rowCount } = await client.query(
      `SELECT 1 FROM documents d WHERE d.collection_id = $1 AND d.status = 'ready'
          AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id AND c.document_version = d.version AND c.embedding_model = $2) LIMIT 1`,
      [target.id, target.newModel],
    );
    if (rowCount) return false;
    await client.query(
      `UPDATE collections SET embedding_model = reembedding_model, embedding_dimension = reembedding_dimension,
              reembedding_model = NULL, reembedding_dimension = NULL, reembedding_error = NULL, updated_at = now()
        WHERE id = $1`,
      [target.id],
    );
    await client.query('DELETE FROM chunks WHERE collection_id = $1 AND embedding_model <> $2', [target.id, target.newModel]);
    return true;
  });
}
