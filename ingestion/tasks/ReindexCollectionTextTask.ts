import { lockCollection, markTextIndexed } from '../../server/corpus/collectionRepository.ts';
import type { Database } from '../../server/db/Database.ts';
import { textAnalyzerVersion } from '../../server/language/searchTokens.ts';
import { hasStaleChunk, rewriteSearchVectors, staleChunksAfter } from '../../server/corpus/chunkRepository.ts';
import type { TaskDefinition } from '../../server/queue/JobQueue.ts';
import type { TapeoutTasks } from '../../server/queue/tapeoutTasks.ts';

export type ReindexCollectionTextData = TapeoutTasks['ReindexCollectionTextTask'];

export const reindexCollectionTextTaskName = 'ReindexCollectionTextTask' as const;
const chunksPerBatch = 500;

/**
 * Rewrites the search vectors of a collection's chunks that were indexed by an older version of
 * the word segmentation or with another text-search configuration than the collection's (its
 * language changed), batch by batch in id order; each batch is one UPDATE, whose trigger keeps
 * the term statistics true. Vectors and text are untouched, and every chunk stays searchable
 * throughout. Idempotent: a retry only finds what is still stale. Ends by recording what the
 * collection is indexed with, when nothing stale is left under its current configuration.
 */
export function reindexCollectionTextTask(services: {
  db: Database;
}): TaskDefinition<ReindexCollectionTextData, typeof reindexCollectionTextTaskName> {
  return {
    name: reindexCollectionTextTaskName,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    async handle({ collectionId }, context) {
      let rewritten = 0;
      for (;;) {
        const pass = await reindexPass(services.db, collectionId, async (done) => {
          rewritten += done;
          await context.updateProgress({ collectionId, stage: 'reindexing text', chunks: rewritten });
        });
        if (pass === 0 && (await markIndexed(services.db, collectionId))) break;
      }
      if (rewritten > 0) services.db.noteWrites();
      context.logger.info({ collectionId, chunks: rewritten }, 'collection text reindexed');
      return { chunks: rewritten };
    },
  };
}

/** One walk over the collection's chunks in id order; returns how many it rewrote. */
async function reindexPass(db: Database, collectionId: string, progress: (done: number) => Promise<void>): Promise<number> {
  let after = '0';
  let total = 0;
  for (;;) {
    const rows = await staleChunksAfter(db, collectionId, after, chunksPerBatch);
    if (rows.length === 0) return total;
    await rewriteSearchVectors(db, rows);
    total += rows.length;
    after = rows.at(-1)!.id;
    await progress(rows.length);
  }
}

/** Records the collection as indexed, unless a chunk is stale again (its language changed meanwhile). */
async function markIndexed(db: Database, collectionId: string): Promise<boolean> {
  return db.transaction(async (client) => {
    await lockCollection(client, collectionId);
    if (await hasStaleChunk(client, collectionId)) return false;
    await markTextIndexed(client, collectionId, textAnalyzerVersion);
    return true;
  });
}
