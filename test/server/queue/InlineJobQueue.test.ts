import { describe } from 'node:test';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { silentLogger } from '../../support/testDatabase.ts';
import { jobQueueContract } from './jobQueueContract.ts';

describe('InlineJobQueue', () => {
  jobQueueContract(async (register) => {
    const queue = new InlineJobQueue(silentLogger);
    register(queue);
    await queue.startWorker(2);
    return queue;
  });
});
