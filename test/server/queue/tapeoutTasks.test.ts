import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { silentLogger } from '../../support/testDatabase.ts';

/**
 * Task names map to payload types at compile time: each `@ts-expect-error` below fails the
 * typecheck (`npm run typecheck`) the day the call it marks compiles.
 */
describe("Tapeout's task catalog", () => {
  it('refuses, at compile time, a payload of the wrong shape and a task that does not exist', async () => {
    const queue = new InlineJobQueue(silentLogger);
    try {
      // @ts-expect-error an IngestDocumentTask takes { ingestionJobId }
      await assert.rejects(queue.enqueue('IngestDocumentTask', { collectionId: 'c' }), /no task named "IngestDocumentTask"/);
      // @ts-expect-error no task has this name
      await assert.rejects(queue.enqueue('IngestEverything', {}), /no task named "IngestEverything"/);
      const wrongHandler = {
        name: 'ReembedCollectionTask' as const,
        attempts: 1,
        backoff: { type: 'fixed' as const, delay: 1 },
        handle: async (data: { documentId: string }) => data,
      };
      // @ts-expect-error a task registered under a name takes that name's payload
      queue.register(wrongHandler);
    } finally {
      await queue.close();
    }
  });
});
