import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { TooManyRequestsError } from '../../../server/errors.ts';
import { ChatQuota } from '../../../server/limits/ChatQuota.ts';
import { RateLimiters } from '../../../server/limits/rateLimiters.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../../support/requireService.ts';

describe('rate limits shared through Redis (real Redis)', async () => {
  const available = await redisAvailable();
  const clients: Redis[] = [];
  after(() => clients.forEach((client) => client.disconnect()));
  /** One server instance's quota: its own Redis connection, the deployment's shared prefix. */
  const instance = (prefix: string) => {
    const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    clients.push(redis);
    return new ChatQuota(new RateLimiters(redis, prefix), { maxConcurrentAnswers: 1, questionsPerMinute: 2 }, 60);
  };
  const ready = async () =>
    Promise.all(clients.map((client) => (client.status === 'ready' ? undefined : new Promise((resolve) => client.once('ready', resolve)))));

  it('counts one user against one limit across server instances, and frees the slot when the answer ends', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const prefix = `tapeout-test-${randomUUID()}`;
    const [one, two] = [instance(prefix), instance(prefix)];
    await ready();
    const release = await one.acquire('user-1');
    await assert.rejects(
      two.acquire('user-1'),
      (error: unknown) => error instanceof TooManyRequestsError && error.code === 'too_many_concurrent_answers',
    );
    await (
      await two.acquire('user-2')
    )();
    await release();
    await (
      await two.acquire('user-1')
    )();
    await assert.rejects(
      one.acquire('user-1'),
      (error: unknown) => error instanceof TooManyRequestsError && error.code === 'too_many_questions',
      'the third question of user-1 this minute, over both instances',
    );
  });

  it('keeps answering, counted in memory, when Redis is unreachable', async () => {
    const redis = new Redis('redis://127.0.0.1:9', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    clients.push(redis);
    const quota = new ChatQuota(new RateLimiters(redis, 'unreachable'), { maxConcurrentAnswers: 1, questionsPerMinute: 5 }, 60);
    const release = await quota.acquire('user-1');
    await assert.rejects(quota.acquire('user-1'), TooManyRequestsError);
    await release();
  });
});
