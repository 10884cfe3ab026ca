import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BullMQJobQueue } from '../../../server/queue/BullMQJobQueue.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../../support/requireService.ts';
import { silentLogger } from '../../support/testDatabase.ts';
import type { TaskCatalog } from '../../../server/queue/JobQueue.ts';
import { jobQueueContract } from './jobQueueContract.ts';

describe('BullMQJobQueue (real Redis)', async () => {
  const available = await redisAvailable();
  if (!available) {
    it('needs Redis on 127.0.0.1:6379', (t) => {
      skipOrFail(t, available, `Redis at ${redisUrl}`);
    });
    return;
  }
  jobQueueContract(async (register) => {
    // A prefix of its own keeps each test's jobs apart in the shared Redis.
    const queue = new BullMQJobQueue<TaskCatalog>(redisUrl, silentLogger, 'tasks', `tapeout-test-${randomUUID()}`);
    register(queue);
    await queue.startWorker(2);
    return queue;
  });

  it('never shows the Redis password where it reports its location', async () => {
    const url = new URL(redisUrl);
    url.password = 'hunter2';
    const queue = new BullMQJobQueue(url.toString(), silentLogger, 'tasks', `tapeout-test-${randomUUID()}`);
    try {
      assert.doesNotMatch(queue.displayUrl, /hunter2/);
      assert.match(queue.displayUrl, /^redis:\/\/:\*\*\*@127\.0\.0\.1/);
    } finally {
      await queue.close();
    }
  });
});
