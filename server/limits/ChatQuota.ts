import type { ChatLimits } from '../config/index.ts';
import { TooManyRequestsError } from '../errors.ts';
import { isRefusal, secondsUntil, type RateLimiters } from './rateLimiters.ts';

/** Ends a lease: the answer finished, failed or was stopped. Safe to call more than once. */
export type QuotaRelease = () => Promise<void>;

/**
 * Per-user limits on the answering path, so one member cannot take the LLM from everyone:
 * answers streaming at once, and questions per minute. Both are counted by rate-limiter-flexible
 * (in Redis when configured, so they hold across server instances). An answer's slot is held for
 * at most `slotSeconds`: should a process die mid-answer, its slots come back on their own.
 */
export class ChatQuota {
  private readonly concurrent;
  private readonly perMinute;

  constructor(
    limiters: RateLimiters,
    private readonly limits: Pick<ChatLimits, 'maxConcurrentAnswers' | 'questionsPerMinute'>,
    slotSeconds: number,
  ) {
    this.concurrent = limiters.create({ keyPrefix: 'chat-concurrent', points: limits.maxConcurrentAnswers, duration: slotSeconds });
    this.perMinute = limiters.create({ keyPrefix: 'chat-per-minute', points: limits.questionsPerMinute, duration: 60 });
  }

  /** Takes a slot for one answer of `key` (a user, or an unmapped Slack user), or refuses with 429. */
  async acquire(key: string): Promise<QuotaRelease> {
    try {
      await this.concurrent.consume(key);
    } catch (outcome) {
      if (!isRefusal(outcome)) throw outcome;
      // A refused consume still counts; give it back so the count stays the answers in progress.
      await this.concurrent.reward(key, 1).catch(() => undefined);
      throw new TooManyRequestsError(
        'too_many_concurrent_answers',
        `You already have ${this.limits.maxConcurrentAnswers} answers in progress, the most allowed at once; wait for one to finish or stop it.`,
        2,
      );
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await this.concurrent.reward(key, 1).catch(() => undefined);
    };
    try {
      await this.perMinute.consume(key);
    } catch (outcome) {
      await release();
      if (!isRefusal(outcome)) throw outcome;
      await this.perMinute.reward(key, 1).catch(() => undefined);
      const wait = secondsUntil(outcome);
      throw new TooManyRequestsError(
        'too_many_questions',
        `You have asked ${this.limits.questionsPerMinute} questions in the last minute, the most allowed; try again in ${wait} s.`,
        wait,
      );
    }
    return release;
  }
}
