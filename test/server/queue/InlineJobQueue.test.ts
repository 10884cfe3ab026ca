import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { silentLogger } from '../../support/testDatabase.ts';
import type { TaskCatalog } from '../../../server/queue/JobQueue.ts';
import { jobQueueContract } from './jobQueueContract.ts';

describe('InlineJobQueue', () => {
  jobQueueContract(async (register) => {
    const queue = new InlineJobQueue<TaskCatalog>(silentLogger);
    register(queue);
    await queue.startWorker(2);
    return queue;
  });

  it('lets running tasks finish when it closes', async () => {
    const queue = new InlineJobQueue<TaskCatalog>(silentLogger);
    let finished = false;
    queue.register({
      name: 'Slow',
      attempts: 1,
      backoff: { type: 'fixed', delay: 10 },
      async handle() {
        await new Promise((resolve) => setTimeout(resolve, 150));
        finished = true;
      },
    });
    await queue.startWorker(1);
    await queue.enqueue('Slow', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.close();
    assert.equal(finished, true);
    await assert.rejects(queue.enqueue('Slow', {}), /queue is closed/);
  });
});
