import { TooManyRequestsError } from '../errors.ts';
import { isRefusal, secondsUntil, type RateLimiters } from './rateLimiters.ts';

const ipWindowSeconds = 15 * 60;
const firstBackoffSeconds = 60;
const longestBackoffSeconds = 60 * 60;
/** SSO sign-ins started per address in 15 minutes: generous for an office behind one address, a bound on stored attempts. */
const ssoStartsPerIp = 300;

/**
 * Failed sign-ins, limited per client address (a number per 15 minutes) and per account: after
 * `maxFailuresPerAccount` failures in a row the account waits a minute before the next try, then
 * twice as long after each further failure, at most an hour; a success clears its count. The
 * account limit holds whatever address the guesses come from. Counted by rate-limiter-flexible,
 * in Redis when configured, so every server instance shares the counts.
 */
export class SignInThrottle {
  private readonly perIp;
  private readonly accountFailures;
  private readonly accountLockout;
  private readonly ssoStarts;

  constructor(
    limiters: RateLimiters,
    private readonly limits: { maxFailuresPerIp: number; maxFailuresPerAccount: number },
  ) {
    this.perIp = limiters.create({ keyPrefix: 'sign-in-ip', points: limits.maxFailuresPerIp, duration: ipWindowSeconds });
    this.accountFailures = limiters.create({
      keyPrefix: 'sign-in-account-failures',
      points: Number.MAX_SAFE_INTEGER,
      duration: 24 * 60 * 60,
    });
    this.accountLockout = limiters.create({ keyPrefix: 'sign-in-account-lockout', points: 1, duration: 1 });
    this.ssoStarts = limiters.create({ keyPrefix: 'sso-start-ip', points: ssoStartsPerIp, duration: ipWindowSeconds });
  }

  /** Counts an SSO sign-in started from this address; refuses (429) past the limit, since each start stores an attempt. */
  async startedSso(ip: string): Promise<void> {
    await this.ssoStarts.consume(ip).catch((outcome: unknown) => {
      if (!isRefusal(outcome)) throw outcome;
      throw new TooManyRequestsError(
        'too_many_attempts',
        `Too many sign-ins started from here; try again in ${minutes(secondsUntil(outcome))}.`,
        secondsUntil(outcome),
      );
    });
  }

  /** Refuses (429) while the address or the account is held back. */
  async assertAllowed(ip: string, email: string): Promise<void> {
    const [byIp, lockout] = await Promise.all([this.perIp.get(ip), this.accountLockout.get(accountKey(email))]);
    if (byIp && byIp.consumedPoints >= this.limits.maxFailuresPerIp) {
      throw new TooManyRequestsError(
        'too_many_attempts',
        `Too many failed sign-ins from here; try again in ${minutes(secondsUntil(byIp))}.`,
        secondsUntil(byIp),
      );
    }
    if (lockout && lockout.consumedPoints > 1) {
      throw new TooManyRequestsError(
        'account_locked',
        `Too many failed sign-ins for this account; try again in ${minutes(secondsUntil(lockout))}.`,
        secondsUntil(lockout),
      );
    }
  }

  /** Counts a failure; returns how many in a row the account has now. */
  async failed(ip: string, email: string): Promise<number> {
    await this.perIp.consume(ip).catch((outcome: unknown) => {
      if (!isRefusal(outcome)) throw outcome;
    });
    const failures = (await this.accountFailures.consume(accountKey(email))).consumedPoints;
    const over = failures - this.limits.maxFailuresPerAccount;
    if (over >= 0) await this.accountLockout.block(accountKey(email), Math.min(longestBackoffSeconds, firstBackoffSeconds * 2 ** over));
    return failures;
  }

  async succeeded(email: string): Promise<void> {
    await this.accountFailures.delete(accountKey(email));
  }
}

const accountKey = (email: string) => email.trim().toLowerCase();
const minutes = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`);
