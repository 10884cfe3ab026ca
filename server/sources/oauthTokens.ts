import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SourceCredentials } from './credentialCipher.ts';
import { SourceApiError, type Authorizer, type SourceApi } from './SourceApi.ts';
import { SourceSyncError } from './SourceConnector.ts';

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

type OAuthClient = NonNullable<SourceCredentials['oauth']>;

/** Renew a token this long before it says it expires, so a request does not carry one that lapses on the way. */
const earlyMs = 60_000;

/**
 * An access token obtained and renewed by an OAuth 2.0 grant (RFC 6749): before it expires, and
 * once more when the API answers 401 (a token revoked or expired early, mid-sync). The grant's
 * requests go through the source's SourceApi, so the token service is checked like the API.
 */
abstract class GrantedToken implements Authorizer {
  private token: string | undefined;
  private expiresAt = 0;

  /** `tokenApi` sends no authorization of its own: the grant is the credential. */
  constructor(
    protected readonly tokenApi: SourceApi,
    protected readonly tokenUrl: string,
  ) {}

  async header(): Promise<string> {
    if (!this.token || Date.now() > this.expiresAt - earlyMs) await this.obtain();
    return `Bearer ${this.token}`;
  }

  async refresh(): Promise<boolean> {
    await this.obtain();
    return true;
  }

  /** The token request's body: JSON (Atlassian) or a form (RFC 6749's own encoding, which Microsoft requires). */
  protected abstract grant(): Promise<{ body: Record<string, string> } | { form: Record<string, string> }>;
  protected async received(_answer: TokenAnswer): Promise<void> {}

  private async obtain(): Promise<void> {
    let answer: TokenAnswer;
    try {
      answer = await this.tokenApi.json<TokenAnswer>(this.tokenUrl, { method: 'POST', ...(await this.grant()) });
    } catch (error) {
      if (error instanceof SourceApiError) {
        throw new SourceSyncError(
          'unauthorized',
          `The token service refused the source's OAuth client (${error.status}): set it again in Admin › Sources.`,
        );
      }
      throw error;
    }
    if (!answer.access_token) throw new SourceSyncError('unauthorized', 'The token service answered without an access token.');
    this.token = answer.access_token;
    this.expiresAt = Date.now() + (answer.expires_in ?? 3600) * 1000;
    await this.received(answer);
  }
}

/**
 * Atlassian's OAuth 2.0 (3LO) with rotating refresh tokens: each refresh returns a new refresh
 * token and the old one stops working, so the new one is sealed again at once (`save`).
 */
export class RefreshedToken extends GrantedToken {
  private refreshToken: string;

  constructor(
    api: SourceApi,
    tokenUrl: string,
    private readonly client: OAuthClient,
    private readonly save: (client: OAuthClient) => Promise<void>,
  ) {
    super(api, tokenUrl);
    if (!client.refreshToken || !client.clientSecret) {
      throw new SourceSyncError('credentials_unavailable', 'An Atlassian OAuth app needs clientId, clientSecret and refreshToken.');
    }
    this.refreshToken = client.refreshToken;
  }

  protected async grant() {
    return {
      body: {
        grant_type: 'refresh_token',
        client_id: this.client.clientId,
        client_secret: this.client.clientSecret!,
        refresh_token: this.refreshToken,
      },
    };
  }

  protected override async received(answer: TokenAnswer): Promise<void> {
    if (answer.refresh_token && answer.refresh_token !== this.refreshToken) {
      this.refreshToken = answer.refresh_token;
      await this.save({ ...this.client, refreshToken: answer.refresh_token });
    }
  }
}

/**
 * Microsoft identity platform's client credentials grant (app-only), with a client secret or a
 * certificate: the client assertion is a JWT signed with the certificate's key, naming the
 * certificate by its SHA-1 thumbprint (x5t) as Entra ID requires.
 */
export class ClientCredentialsToken extends GrantedToken {
  constructor(
    api: SourceApi,
    tokenUrl: string,
    private readonly client: OAuthClient,
    private readonly scope: string,
  ) {
    super(api, tokenUrl);
  }

  protected async grant() {
    const base = { grant_type: 'client_credentials', client_id: this.client.clientId, scope: this.scope };
    if (this.client.clientSecret) return { form: { ...base, client_secret: this.client.clientSecret } };
    return {
      form: {
        ...base,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await this.assertion(),
      },
    };
  }

  private async assertion(): Promise<string> {
    const certificate = new X509Certificate(this.client.certificatePem!);
    const thumbprint = createHash('sha1').update(certificate.raw).digest('base64url');
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: thumbprint })
      .setIssuer(this.client.clientId)
      .setSubject(this.client.clientId)
      .setAudience(this.tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('10m')
      .sign(createPrivateKey(this.client.privateKeyPem!));
  }
}
