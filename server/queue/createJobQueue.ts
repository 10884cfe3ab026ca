import type { Logger } from '../logging/logger.ts';
import { BullMQJobQueue } from './BullMQJobQueue.ts';
import { InlineJobQueue } from './InlineJobQueue.ts';
import type { JobQueue } from './JobQueue.ts';

export function createJobQueue(redisUrl: string | undefined, prefix: string, stalledAfterMs: number, logger: Logger): JobQueue {
  return redisUrl ? new BullMQJobQueue(redisUrl, logger, 'tasks', prefix, stalledAfterMs) : new InlineJobQueue(logger);
}
