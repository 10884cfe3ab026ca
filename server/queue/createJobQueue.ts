import type { Logger } from '../logging/logger.ts';
import { BullMQJobQueue } from './BullMQJobQueue.ts';
import { InlineJobQueue } from './InlineJobQueue.ts';
import type { JobQueue } from './JobQueue.ts';

export function createJobQueue(redisUrl: string | undefined, prefix: string, logger: Logger): JobQueue {
  return redisUrl ? new BullMQJobQueue(redisUrl, logger, 'tasks', prefix) : new InlineJobQueue(logger);
}
