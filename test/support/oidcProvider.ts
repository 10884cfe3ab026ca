import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import * as jose from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** What the provider says of an account (its id is the login typed on its sign-in page). */
export interface TestAccount {
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** Rewrites the claims of the next ID tokens, re-signed with the provider's own key (wrong audience, expired token). */
  tamperIdToken: ((claims: jose.JWTPayload) => jose.JWTPayload) | undefined;
  close(): Promise<void>;
}

/**
 * A real, OpenID-certified provider (oidc-provider from npm) on a loopback port: discovery, signed
 * ID tokens, PKCE, userinfo, RP-initiated logout, and its development login page (any password;
 * the login is the account id). Consent is granted automatically for the test client.
 */
export async function startOidcProvider(redirectUri: string, postLogoutRedirectUri: string): Promise<TestOidcProvider> {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const clientId = 'tapeout';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as never] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    cookies: { keys: ['tapeout test provider cookie key'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined;
    },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  const handle: TestOidcProvider = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    tamperIdToken: undefined,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && handle.tamperIdToken && body?.id_token) {
      const claims = handle.tamperIdToken(jose.decodeJwt(body.id_token));
      body.id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
    }
  });
  server.on('request', provider.callback());
  return handle;
}

/** A browser's cookies, one jar per origin, for driving redirects by hand. */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.jars.get(url.host) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(url: URL, response: Response): void {
    const jar = this.jars.get(url.host) ?? new Map<string, string>();
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(url.host, jar);
  }

  get(url: URL, name: string): string | undefined {
    return this.jars.get(url.host)?.get(name);
  }
}

export interface SsoOutcome {
  /** Where Tapeout sent the browser at the end: the page, or the sign-in page with ?signInError=. */
  location: string;
  /** Set when the sign-in succeeded. */
  sessionCookie: string | undefined;
  /** The provider's redirect back to Tapeout, to replay it. */
  callbackUrl: string;
  jar: CookieJar;
}

/** Signs `login` in through the provider's login page, as a browser would, following every redirect by hand. */
export async function signInThroughProvider(
  tapeoutUrl: string,
  login: string,
  options: { returnTo?: string; editCallback?: (url: URL, cookie: string) => URL } = {},
): Promise<SsoOutcome> {
  const jar = new CookieJar();
  let url = new URL(`/api/auth/oidc/start${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`, tapeoutUrl);
  let callbackUrl = '';
  for (let hop = 0; hop < 12; hop += 1) {
    if (url.pathname === '/api/auth/oidc/callback') {
      callbackUrl = url.href;
      if (options.editCallback) url = options.editCallback(url, jar.header(url));
    }
    let response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, response);
    if (response.status === 200 && url.pathname.startsWith('/interaction/')) {
      const action = /action="([^"]+)"/.exec(await response.text())?.[1];
      if (!action) throw new Error('the provider showed no login form');
      const submit = new URL(action, url);
      response = await fetch(submit, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(submit), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login, password: 'any password' }),
      });
      jar.store(submit, response);
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`${url.href} answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.origin === new URL(tapeoutUrl).origin && !next.pathname.startsWith('/api/')) {
      const session = jar.get(next, 'tapeout_session');
      return { location: next.pathname + next.search, sessionCookie: session ? `tapeout_session=${session}` : undefined, callbackUrl, jar };
    }
    url = next;
  }
  throw new Error('too many redirects');
}

/** A port free right now: Tapeout's redirect URI must be registered at the provider before Tapeout starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
