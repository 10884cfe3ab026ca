import { createHash } from 'node:crypto';
import { collectionsWithStaleTextIndex } from '../../server/corpus/collectionRepository.ts';
import type { Database } from '../../server/db/Database.ts';
import { textAnalyzerVersion } from '../../server/language/searchTokens.ts';
import type { JobQueue } from '../../server/queue/JobQueue.ts';
import { reindexCollectionTextTaskName } from './ReindexCollectionTextTask.ts';

/**
 * Queues ReindexCollectionTextTask for each collection (all, or one) whose chunks are not all
 * indexed with the current segmentation and its current text-search configuration: after an
 * upgrade, or once its language is set or detected. Reads only the collections table.
 */
export async function requestTextReindexing(services: { db: Database; queue: JobQueue }, collectionId?: string): Promise<string[]> {
  const rows = await collectionsWithStaleTextIndex(services.db, textAnalyzerVersion, collectionId);
  for (const { id, config } of rows) {
    const key = createHash('sha256').update(`${textAnalyzerVersion}:${config}`).digest('hex').slice(0, 12);
    await services.queue.enqueue(
      reindexCollectionTextTaskName,
      { collectionId: id },
      { jobId: `reindex-text-${id}-${key}`, background: true },
    );
  }
  return rows.map((row) => row.id);
}
