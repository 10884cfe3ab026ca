import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/AuditLog.ts';
import { hashApiKey } from '../auth/apiKeys.ts';
import type { IssuedSession, SessionService } from '../auth/SessionService.ts';
import type { OidcConfig } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import type { SignInThrottle } from '../limits/SignInThrottle.ts';
import type { Logger } from '../logging/logger.ts';
import type { IdentityDirectory } from './IdentityDirectory.ts';
import { OidcProtocolError, type OidcClient, type OidcIdentity } from './oidc/OidcClient.ts';

export type SsoFailure =
  | 'sso_attempt_missing'
  | 'sso_state_mismatch'
  | 'sso_provider_error'
  | 'sso_failed'
  | 'sso_email_unverified'
  | 'sso_domain_not_allowed'
  | 'sso_account_deactivated'
  | 'sso_unavailable'
  | 'sso_too_many_attempts';

/** Why an SSO sign-in did not happen: `code` for the sign-in page, `message` for people, `reason` for the log. */
export class SsoError extends Error {
  constructor(
    readonly code: SsoFailure,
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'SsoError';
  }
}

const attemptMinutes = 10;

/**
 * Sign-in through the company's OpenID provider. `begin` stores one attempt (PKCE verifier, state,
 * nonce) under a random token that only the browser's cookie holds; `finish` takes that attempt
 * once, so a replayed callback, a callback from another browser or a forged state is refused
 * before the provider is asked anything. The user and their provider-managed groups follow the
 * verified ID token; every outcome is audited.
 */
export class OidcSignInService {
  constructor(
    private readonly deps: {
      db: Database;
      client: OidcClient;
      directory: IdentityDirectory;
      sessions: SessionService;
      audit: AuditLog;
      throttle: SignInThrottle;
      logger: Logger;
      settings: OidcConfig;
    },
  ) {}

  get buttonLabel(): string {
    return this.deps.settings.buttonLabel;
  }

  /** Where the browser goes after signing out here, to sign out at the provider too (undefined when it offers no end-session endpoint). */
  async endSessionUrl(idTokenHint: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined> {
    return this.deps.client.endSessionUrl(idTokenHint, postLogoutRedirectUri).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, "the provider's end-session URL could not be built");
      return undefined;
    });
  }

  async begin(returnTo: string | undefined, ip: string): Promise<{ attemptToken: string; redirectUrl: string }> {
    await this.deps.throttle.startedSso(ip).catch((error: unknown) => {
      this.deps.logger.warn({ ip }, 'SSO sign-in start refused: too many from this address');
      throw new SsoError('sso_too_many_attempts', error instanceof Error ? error.message : 'Too many sign-ins started from here.');
    });
    let request;
    try {
      request = await this.deps.client.authorizationRequest();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'SSO sign-in could not start');
      throw new SsoError('sso_unavailable', 'The identity provider cannot be reached right now; try again in a minute.', reasonOf(error));
    }
    const attemptToken = randomBytes(32).toString('base64url');
    await this.deps.db.query('DELETE FROM oidc_sign_in_attempts WHERE expires_at < now()');
    await this.deps.db.query(
      `INSERT INTO oidc_sign_in_attempts (token_hash, state, nonce, code_verifier, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
      [hashApiKey(attemptToken), request.state, request.nonce, request.codeVerifier, safeReturnPath(returnTo), attemptMinutes],
    );
    return { attemptToken, redirectUrl: request.url };
  }

  async finish(attemptToken: string | undefined, callbackUrl: URL, ip: string): Promise<{ session: IssuedSession; returnTo: string }> {
    try {
      return await this.complete(attemptToken, callbackUrl, ip);
    } catch (error) {
      const failure = error instanceof SsoError ? error : new SsoError('sso_failed', 'Single sign-on failed.', reasonOf(error));
      this.deps.logger.warn({ code: failure.code, reason: failure.reason, ip }, 'SSO sign-in refused');
      await this.deps.audit.record({
        action: 'auth.sso_sign_in',
        outcome: 'failure',
        ip,
        actorEmail: emailOf(error),
        details: { code: failure.code, reason: failure.reason },
      });
      throw failure;
    }
  }

  private async complete(
    attemptToken: string | undefined,
    callbackUrl: URL,
    ip: string,
  ): Promise<{ session: IssuedSession; returnTo: string }> {
    const attempt = attemptToken ? await this.takeAttempt(attemptToken) : undefined;
    if (!attempt)
      throw new SsoError(
        'sso_attempt_missing',
        'This sign-in has expired or was already used; start again.',
        'no live attempt for the browser',
      );
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      const description = callbackUrl.searchParams.get('error_description') ?? providerError;
      throw new SsoError('sso_provider_error', `The identity provider refused the sign-in: ${description.slice(0, 200)}`, providerError);
    }
    if (callbackUrl.searchParams.get('state') !== attempt.state)
      throw new SsoError('sso_state_mismatch', 'This sign-in did not start here; start again.', 'state mismatch');
    let identity: OidcIdentity;
    try {
      identity = await this.deps.client.complete(callbackUrl, {
        state: attempt.state,
        nonce: attempt.nonce,
        codeVerifier: attempt.code_verifier,
      });
    } catch (error) {
      if (error instanceof OidcProtocolError)
        throw new SsoError('sso_failed', "Single sign-on failed: the identity provider's answer could not be verified.", error.reason);
      throw error;
    }
    const email = this.checkedEmail(identity);
    const { user, changes } = await this.deps.db.transaction(async (client) => {
      const { user, created } = await this.deps.directory.upsertOidcUser({ ...identity, email }, client);
      if (!user.active)
        throw new SsoEmailError('sso_account_deactivated', 'This account has been deactivated; ask your administrator.', email);
      const groups = identity.groups
        ? await this.deps.directory.replaceManagedMemberships(user.id, identity.groups, 'oidc', client)
        : undefined;
      const adminGroup = this.deps.settings.adminGroup;
      const role =
        adminGroup && identity.groups
          ? await this.deps.directory.applyAdminGroup(user, identity.groups.includes(adminGroup), client)
          : user.role;
      return { user, changes: { created, role, previousRole: user.role, groups } };
    });
    const issued = await this.deps.sessions.create(user.id, identity.idToken);
    this.deps.logger.info({ userId: user.id, ip, created: changes.created }, 'signed in with SSO');
    await this.deps.audit.record({
      action: 'auth.sso_sign_in',
      outcome: 'success',
      actorUserId: user.id,
      actorEmail: email,
      ip,
      details: ssoDetails(identity, changes),
    });
    return { session: issued, returnTo: attempt.return_to };
  }

  private checkedEmail(identity: OidcIdentity): string {
    if (!identity.email)
      throw new SsoError(
        'sso_email_unverified',
        'The identity provider sent no email address for this account.',
        `no email for ${identity.subject}`,
      );
    if (!identity.emailVerified)
      throw new SsoEmailError('sso_email_unverified', 'Your email address is not verified at the identity provider.', identity.email);
    const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1).toLowerCase();
    const allowed = this.deps.settings.allowedEmailDomains;
    if (allowed && !allowed.includes(domain))
      throw new SsoEmailError('sso_domain_not_allowed', `Accounts of ${domain} cannot sign in here.`, identity.email);
    return identity.email;
  }

  private async takeAttempt(token: string) {
    const { rows } = await this.deps.db.query<{ state: string; nonce: string; code_verifier: string; return_to: string }>(
      'DELETE FROM oidc_sign_in_attempts WHERE token_hash = $1 AND expires_at > now() RETURNING state, nonce, code_verifier, return_to',
      [hashApiKey(token)],
    );
    return rows[0];
  }
}

/** An SsoError that knows which email it was about, for the audit trail. */
class SsoEmailError extends SsoError {
  constructor(
    code: SsoFailure,
    message: string,
    readonly email: string,
  ) {
    super(code, message, `${code} for ${email}`);
  }
}

function ssoDetails(
  identity: OidcIdentity,
  changes: { created: boolean; role: string; previousRole: string; groups: { added: string[]; removed: string[] } | undefined },
) {
  return {
    subject: identity.subject,
    created: changes.created,
    ...(changes.role !== changes.previousRole ? { role: { from: changes.previousRole, to: changes.role } } : {}),
    ...(changes.groups
      ? { groupsAdded: changes.groups.added, groupsRemoved: changes.groups.removed }
      : { groups: 'not sent by the provider' }),
  };
}

/** Only a path on this site: never another origin (`//evil`, `/\evil`) after sign-in. */
export function safeReturnPath(returnTo: string | undefined): string {
  if (!returnTo || !/^\/(?![/\\])[^\s]*$/.test(returnTo) || returnTo.length > 2000) return '/';
  return returnTo;
}

function emailOf(error: unknown): string | undefined {
  return error instanceof SsoEmailError ? error.email : undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof OidcProtocolError ? error.reason : error instanceof Error ? error.message : String(error);
}
