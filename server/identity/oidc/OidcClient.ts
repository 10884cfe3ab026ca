import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config/index.ts';
import { isHttpsOrLoopback } from '../../config/schema.ts';

/** Who the provider says signed in, after the ID token was verified. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string;
  /** The values of the configured groups claim (from the ID token, else from userinfo); undefined when neither has the claim. */
  groups: string[] | undefined;
  idToken: string | undefined;
}

/** What the browser carries to the provider, and what the callback must find again. */
export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider refused, or its answer did not verify; `reason` is safe to log, never shown as is. */
export class OidcProtocolError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'OidcProtocolError';
  }
}

/**
 * The OpenID provider, through openid-client (certified): discovery, the authorization code flow
 * with PKCE, state and nonce, ID token verification (signature, issuer, audience, expiry, nonce)
 * and userinfo. The rest of Tapeout sees only this class. Discovery happens on first use and is
 * retried on the next sign-in if the provider was unreachable, so Tapeout starts without it.
 */
export class OidcClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: OidcConfig,
    private readonly redirectUri: string,
    private readonly timeoutSeconds = 10,
  ) {}

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const config = await this.discovered();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.scopes(config).join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** Exchanges the callback's code and verifies the ID token; throws OidcProtocolError when anything is off. */
  async complete(callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
    const config = await this.discovered();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcProtocolError('The identity provider did not complete the sign-in.', describe(error));
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcProtocolError('The identity provider sent no ID token.', 'no id_token');
    let claims: Record<string, unknown> = { ...idClaims };
    // Many providers put email and groups in userinfo only unless asked otherwise (OIDC Core 5.4).
    if (
      (claims.email === undefined || claims[this.settings.groupsClaim] === undefined) &&
      tokens.access_token &&
      config.serverMetadata().userinfo_endpoint
    ) {
      try {
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...claims };
      } catch (error) {
        throw new OidcProtocolError('The identity provider did not answer the userinfo request.', describe(error));
      }
    }
    return {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: ([claims.name, claims.preferred_username].find((value): value is string => typeof value === 'string') ?? '').slice(0, 200),
      groups: groupsOf(claims[this.settings.groupsClaim]),
      idToken: tokens.id_token,
    };
  }

  /** The provider's end-session URL, when it has one (RP-initiated logout). */
  async endSessionUrl(idTokenHint: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.discovered().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return undefined;
    const parameters: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri, client_id: this.settings.clientId };
    if (idTokenHint) parameters.id_token_hint = idTokenHint;
    return oidc.buildEndSessionUrl(config, parameters).href;
  }

  private scopes(config: oidc.Configuration): string[] {
    const scopes = [...this.settings.scopes];
    if (!scopes.includes('groups') && config.serverMetadata().scopes_supported?.includes('groups')) scopes.push('groups');
    return scopes;
  }

  private discovered(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuerUrl), this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret), {
        timeout: this.timeoutSeconds,
        // Plain http is accepted (at start-up) only for a provider on this machine.
        execute:
          isHttpsOrLoopback(this.settings.issuerUrl) && this.settings.issuerUrl.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new OidcProtocolError('The identity provider cannot be reached.', `discovery: ${describe(error)}`);
      });
    return this.configuration;
  }
}

/** More groups than this in one claim are not followed (Entra ID itself stops at 200). */
const maxGroups = 1000;

/** A groups claim is a list of names (or ids); some providers send one string. Names over 200 characters are dropped. */
function groupsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [];
  const names = list
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '' && item.length <= 200)
    .map((item) => item.trim());
  return [...new Set(names)].slice(0, maxGroups);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const {
    code,
    error: oauthError,
    error_description: description,
    cause,
  } = error as Error & { code?: string; error?: string; error_description?: string };
  // openid-client names the kind of failure; the cause it wraps (oauth4webapi's) says which claim.
  const detail = cause instanceof Error && cause.message !== error.message ? cause.message : undefined;
  return [code, oauthError, description ?? error.message, detail].filter(Boolean).join(': ');
}
