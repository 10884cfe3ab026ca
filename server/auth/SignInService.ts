import type { AuditLog } from '../audit/AuditLog.ts';
import { AuthenticationError, ForbiddenError } from '../errors.ts';
import type { SignInThrottle } from '../limits/SignInThrottle.ts';
import type { Logger } from '../logging/logger.ts';
import type { IssuedSession, SessionService } from './SessionService.ts';

/** The account a password belongs to, as the user directory (server/users/) finds it. */
export interface AccountHolder {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  active: boolean;
}

/** What sign-in asks of the user directory; declared here so auth sits below users, not beside it. */
export interface PasswordAccounts {
  verifyCredentials(email: string, password: string): Promise<AccountHolder | undefined>;
}

/**
 * Password sign-in for the web app: throttled per address and per account, every attempt kept
 * in the audit trail and failures logged with the email and address tried (never the password).
 * A wrong password and an unknown email get the same answer, in the same time.
 */
export class SignInService {
  constructor(
    private readonly deps: {
      users: PasswordAccounts;
      sessions: SessionService;
      throttle: SignInThrottle;
      audit: AuditLog;
      logger: Logger;
      passwordSignIn: boolean;
    },
  ) {}

  async signIn(email: string, password: string, ip: string): Promise<{ user: AccountHolder; session: IssuedSession }> {
    const { users, sessions, throttle, audit, logger } = this.deps;
    try {
      await throttle.assertAllowed(ip, email);
    } catch (error) {
      logger.warn({ email, ip }, 'sign-in refused: too many failures');
      await audit.record({ action: 'auth.sign_in', outcome: 'failure', actorEmail: email, ip, details: { reason: 'throttled' } });
      throw error;
    }
    const user = await users.verifyCredentials(email, password);
    if (!user) {
      const failures = await throttle.failed(ip, email);
      logger.warn({ email, ip, failures }, 'sign-in failed: wrong email or password');
      await audit.record({
        action: 'auth.sign_in',
        outcome: 'failure',
        actorEmail: email,
        ip,
        details: { reason: 'wrong_credentials', failuresInARow: failures },
      });
      throw new AuthenticationError('Wrong email or password.');
    }
    await throttle.succeeded(email);
    const refusal = this.refusal(user);
    if (refusal) {
      logger.warn({ userId: user.id, ip, reason: refusal.reason }, 'password sign-in refused');
      await audit.record({
        action: 'auth.sign_in',
        outcome: 'failure',
        actorUserId: user.id,
        actorEmail: user.email,
        ip,
        details: { reason: refusal.reason },
      });
      throw refusal.error;
    }
    const session = await sessions.create(user.id);
    logger.info({ userId: user.id, ip }, 'signed in');
    await audit.record({ action: 'auth.sign_in', outcome: 'success', actorUserId: user.id, actorEmail: user.email, ip });
    return { user, session };
  }

  /**
   * A deactivated account never signs in. With PASSWORD_SIGN_IN=false only admins may use a
   * password: the break-glass way in when the identity provider is down or misconfigured.
   */
  private refusal(user: AccountHolder): { reason: string; error: Error } | undefined {
    if (!user.active)
      return { reason: 'deactivated', error: new AuthenticationError('This account has been deactivated; ask your administrator.') };
    if (!this.deps.passwordSignIn && user.role !== 'admin') {
      return { reason: 'password_sign_in_disabled', error: new ForbiddenError('Password sign-in is turned off here; use single sign-on.') };
    }
    return undefined;
  }
}
