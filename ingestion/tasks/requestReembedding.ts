import { createHash } from 'node:crypto';
import { markForReembedding } from '../../server/corpus/collectionRepository.ts';
import type { Database } from '../../server/db/Database.ts';
import type { Embedder } from '../../server/inference/embeddings/Embedder.ts';
import type { Logger } from '../../server/logging/logger.ts';
import type { JobQueue } from '../../server/queue/JobQueue.ts';
import { reembedCollectionTaskName } from './ReembedCollectionTask.ts';

export type ReembeddingRequestDeps = { db: Database; embedder: Embedder; logger: Logger; queue: JobQueue };

export interface ReembeddingRequest {
  collectionId: string;
  slug: string;
  from: string;
  to: string;
}

/**
 * Marks collections embedded with another model than the configured embedder for re-embedding
 * (all of them, or one), and queues the task for every collection so marked, including those a
 * stopped process left half done. Their current vectors keep serving until the task swaps.
 */
export async function requestReembedding(services: ReembeddingRequestDeps, collectionId?: string): Promise<ReembeddingRequest[]> {
  const model = services.embedder.model;
  const dimension = await services.embedder.dimension();
  const rows: ReembeddingRequest[] = await markForReembedding(services.db, { name: model, dimension }, collectionId);
  const modelKey = createHash('sha256').update(model).digest('hex').slice(0, 12);
  for (const request of rows) {
    await services.queue.enqueue(
      reembedCollectionTaskName,
      { collectionId: request.collectionId },
      { jobId: `reembed-${request.collectionId}-${modelKey}` },
    );
    services.logger.info(request, 'collection queued for re-embedding with the configured model');
  }
  return rows;
}
