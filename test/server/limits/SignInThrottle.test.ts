import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TooManyRequestsError } from '../../../server/errors.ts';
import { RateLimiters } from '../../../server/limits/rateLimiters.ts';
import { SignInThrottle } from '../../../server/limits/SignInThrottle.ts';

const refusal = async (throttle: SignInThrottle, ip: string, email: string) => {
  try {
    await throttle.assertAllowed(ip, email);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof TooManyRequestsError);
    return { code: error.code, wait: error.retryAfterSeconds! };
  }
};

describe('SignInThrottle', () => {
  const throttle = () => new SignInThrottle(new RateLimiters(undefined, 'test'), { maxFailuresPerIp: 100, maxFailuresPerAccount: 5 });

  it('backs an account off for a minute after five failures in a row, doubling with each further one, at most an hour', async () => {
    const limits = throttle();
    for (let i = 0; i < 4; i++) await limits.failed(`10.0.0.${i}`, 'ana@example.com');
    assert.equal(await refusal(limits, '10.0.1.1', 'ana@example.com'), undefined, 'four failures: still allowed');
    const waits: number[] = [];
    for (let failures = 5; failures <= 12; failures++) {
      await limits.failed('10.0.0.9', 'ANA@example.com');
      waits.push((await refusal(limits, '10.0.1.1', 'ana@example.com'))!.wait);
    }
    assert.deepEqual(
      waits.map((wait) => Math.round(wait / 60)),
      [1, 2, 4, 8, 16, 32, 60, 60],
    );
    assert.equal(await refusal(limits, '10.0.1.1', 'bob@example.com'), undefined, 'other accounts are not held back');
  });

  it('starts counting again after a successful sign-in', async () => {
    const limits = throttle();
    for (let i = 0; i < 4; i++) await limits.failed('10.0.0.1', 'cy@example.com');
    await limits.succeeded('cy@example.com');
    for (let i = 0; i < 4; i++) await limits.failed('10.0.0.1', 'cy@example.com');
    assert.equal(await refusal(limits, '10.0.0.1', 'cy@example.com'), undefined);
  });

  it('holds back an address after its failures, across accounts', async () => {
    const limits = new SignInThrottle(new RateLimiters(undefined, 'test'), { maxFailuresPerIp: 3, maxFailuresPerAccount: 5 });
    for (const email of ['a@x.com', 'b@x.com', 'c@x.com']) await limits.failed('10.9.9.9', email);
    assert.equal((await refusal(limits, '10.9.9.9', 'd@x.com'))?.code, 'too_many_attempts');
    assert.equal(await refusal(limits, '10.9.9.8', 'd@x.com'), undefined);
  });
});
