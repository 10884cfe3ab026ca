import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  /** Names the limiter's keys (in Redis: after the deployment's prefix). */
  keyPrefix: string;
  points: number;
  /** Seconds after which consumed points are forgotten. */
  duration: number;
}

/**
 * Where counters live: in Redis when REDIS_URL is set, so every server instance counts the same
 * user against one limit; in memory otherwise. With Redis unreachable, each instance falls back
 * to counting in its own memory (rate-limiter-flexible's insurance limiter) rather than failing
 * every request.
 */
export class RateLimiters {
  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
  ) {}

  create(options: LimiterOptions): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ ...options, keyPrefix: options.keyPrefix });
    if (!this.redis) return memory;
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      keyPrefix: `${this.prefix}:limits:${options.keyPrefix}`,
      insuranceLimiter: memory,
    });
  }
}

/** A refusal (the limit is reached) as opposed to a store failure, which rate-limiter-flexible rejects with too. */
export const isRefusal = (outcome: unknown): outcome is RateLimiterRes => outcome instanceof RateLimiterRes;

export const secondsUntil = (refusal: RateLimiterRes) => Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
