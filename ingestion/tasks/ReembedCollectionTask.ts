import {
  lockCollection,
  reembeddingTarget,
  setReembeddingError,
  switchToReembeddingModel,
  type ReembeddingTarget,
} from '../../server/corpus/collectionRepository.ts';
import type { Database } from '../../server/db/Database.ts';
import type { Inference } from '../../server/inference/createInference.ts';
import type { Embedder } from '../../server/inference/embeddings/Embedder.ts';
import { PermanentTaskError, type JobQueue, type TaskDefinition } from '../../server/queue/JobQueue.ts';
import { embeddingText } from '../chunking/embeddingText.ts';
import { requestSentenceVectors } from './requestSentenceVectors.ts';
import { deleteChunksOfOtherModels, deleteVersionChunks, insertChunks, versionChunks } from '../../server/corpus/chunkRepository.ts';
import { countReadyDocuments, findDocument, readyDocumentsLackingModel } from '../../server/corpus/documentRepository.ts';
import type { TapeoutTasks } from '../../server/queue/tapeoutTasks.ts';

/** What re-embedding needs: the database, the embedders this process can run, and the queue for the follow-up sentence vectors. */
type ReembedDeps = { db: Database; queue: JobQueue; embedder: Embedder; inference: Pick<Inference, 'embedders' | 'sentenceEncoder'> };

export type ReembedCollectionData = TapeoutTasks['ReembedCollectionTask'];

export const reembedCollectionTaskName = 'ReembedCollectionTask' as const;
const documentsPerPass = 20;

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
      const target = await reembeddingTarget(services.db, collectionId);
      if (!target?.newModel) return { skipped: 'nothing to re-embed' };
      const embedder = services.inference.embedders.find((candidate) => candidate.model === target.newModel);
      if (!embedder) {
        const message = `The embedding model ${target.newModel} is not configured in this process (EMBEDDINGS_MODEL is ${services.embedder.model}).`;
        await setReembeddingError(services.db, collectionId, { code: 'embedding_model_unavailable', message });
        throw new PermanentTaskError(message);
      }
      const total = await countReadyDocuments(services.db, collectionId);
      let done = 0;
      for (;;) {
        const pending = await readyDocumentsLackingModel(services.db, target.id, target.newModel, documentsPerPass);
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

async function reembedDocument(
  services: ReembedDeps,
  target: ReembeddingTarget,
  document: { id: string; version: number },
  embed: (texts: string[]) => Promise<number[][]>,
) {
  const chunks = await versionChunks(services.db, document.id, document.version, target.currentModel);
  const embeddings = await embed(chunks.map(embeddingText));
  await services.db.transaction(async (client) => {
    // The document's lock orders this with a new version being swapped in: a replaced version is skipped.
    const current = await findDocument(client, document.id, { lock: true });
    if (current?.version !== document.version) return;
    await deleteVersionChunks(client, document.id, document.version, target.newModel!);
    const chunkTarget = { documentId: document.id, collectionId: target.id, targetVersion: document.version };
    await insertChunks(client, chunkTarget, chunks, { model: target.newModel!, embeddings });
  });
}

/** The swap: only when no served document still lacks new vectors, checked under the collection's lock. */
async function switchModel(services: ReembedDeps, target: ReembeddingTarget): Promise<boolean> {
  return services.db.transaction(async (client) => {
    await lockCollection(client, target.id);
    if ((await readyDocumentsLackingModel(client, target.id, target.newModel!, 1)).length) return false;
    await switchToReembeddingModel(client, target.id);
    await deleteChunksOfOtherModels(client, target.id, target.newModel!);
    return true;
  });
}
