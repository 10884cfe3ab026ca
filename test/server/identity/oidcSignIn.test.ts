import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, startOidcProvider, signInThroughProvider, type TestOidcProvider } from '../../support/oidcProvider.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

describe('SSO sign-in through a real OpenID provider', () => {
  let provider: TestOidcProvider;
  let runtime: TestRuntime;
  let tapeoutUrl: string;

  const api = async (path: string, cookie: string | undefined, init: RequestInit = {}) =>
    fetch(`${runtime.url}${path}`, { ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) } });
  const collectionsOf = async (cookie: string) =>
    ((await (await api('/api/collections', cookie)).json()) as { collections: { slug: string }[] }).collections.map((c) => c.slug).sort();
  const auditActions = async (action: string) => {
    const { rows } = await runtime.services.db.query<{ outcome: string; actor_email: string | null; details: Record<string, unknown> }>(
      'SELECT outcome, actor_email, details FROM audit_events WHERE action = $1 ORDER BY id',
      [action],
    );
    return rows;
  };

  before(async () => {
    const port = await freePort();
    tapeoutUrl = `http://localhost:${port}`;
    provider = await startOidcProvider(`${tapeoutUrl}/api/auth/oidc/callback`, `${tapeoutUrl}/`);
    provider.accounts.set('alice', {
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Chen',
      groups: ['soc-team', 'tapeout-admins-not'],
    });
    provider.accounts.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob Ito', groups: [] });
    provider.accounts.set('carol', { email: 'carol@example.com', email_verified: true, name: 'Carol', groups: ['tapeout-admins'] });
    provider.accounts.set('unverified', { email: 'eve@example.com', email_verified: false, name: 'Eve', groups: ['soc-team'] });
    provider.accounts.set('outsider', { email: 'mallory@elsewhere.org', email_verified: true, name: 'Mallory', groups: ['soc-team'] });
    runtime = await startTestRuntime({
      PORT: String(port),
      PUBLIC_URL: tapeoutUrl,
      SEED_DEMO: 'false',
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_ALLOWED_EMAIL_DOMAINS: 'example.com',
      OIDC_ADMIN_GROUP: 'tapeout-admins',
      PASSWORD_SIGN_IN: 'false',
    });
    await createOpenCollection(runtime, 'handbook');
    const soc = await runtime.services.collections.create(systemActor, {
      slug: 'soc-notes',
      name: 'SoC notes',
      embeddingModel: runtime.services.embedder.model,
      embeddingDimension: await runtime.services.embedder.dimension(),
    });
    await runtime.services.db.query(`INSERT INTO groups (name) VALUES ('soc-team')`);
    await runtime.services.collections.grantToGroup(systemActor, soc.id, 'soc-team');
    await uploadAndWait(runtime, 'soc-notes', 'orion.md', '# Orion\n\nThe Orion B0 tape-out date is 14 March.');
    const created = await fetch(`${runtime.url}/api/assistants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: 'soc-helper',
        name: 'SoC helper',
        systemPrompt: 'Answer from the sources.',
        collections: ['handbook', 'soc-notes'],
      }),
    });
    assert.equal(created.status, 201);
  });

  after(async () => {
    await runtime?.dispose();
    await provider?.close();
  });

  it('offers the SSO button and no password form on the sign-in page', async () => {
    const session = await (await api('/api/auth/session', undefined)).json();
    assert.deepEqual(session, { user: null, signIn: { password: false, sso: { label: 'Sign in with SSO' } } });
  });

  it('creates the user at first sign-in, with the groups of the claim as provider-managed groups, and returns to the page asked for', async () => {
    const outcome = await signInThroughProvider(tapeoutUrl, 'alice', { returnTo: '/c/123' });
    assert.equal(outcome.location, '/c/123');
    assert.ok(outcome.sessionCookie);
    const me = (await (await api('/api/me', outcome.sessionCookie)).json()) as { user: { email: string; name: string; role: string } };
    assert.deepEqual(me.user, { ...me.user, email: 'alice@example.com', name: 'Alice Chen', role: 'member' });
    assert.deepEqual(await collectionsOf(outcome.sessionCookie!), ['handbook', 'soc-notes']);
    const { rows } = await runtime.services.db.query<{ name: string; managed_by: string | null }>(
      `SELECT g.name, g.managed_by FROM groups g JOIN memberships m ON m.group_id = g.id JOIN users u ON u.id = m.user_id WHERE u.email = 'alice@example.com' ORDER BY g.name`,
    );
    assert.deepEqual(rows, [
      { name: 'everyone', managed_by: null },
      { name: 'soc-team', managed_by: 'oidc' },
      { name: 'tapeout-admins-not', managed_by: 'oidc' },
    ]);
    const [success] = await auditActions('auth.sso_sign_in');
    assert.equal(success?.outcome, 'success');
    assert.equal(success?.actor_email, 'alice@example.com');
  });

  it('replaces the memberships at each sign-in: a group removed at the provider is removed here, with its collections', async () => {
    provider.accounts.get('alice')!.groups = [];
    const outcome = await signInThroughProvider(tapeoutUrl, 'alice');
    assert.deepEqual(await collectionsOf(outcome.sessionCookie!), ['handbook']);
    provider.accounts.get('alice')!.groups = ['soc-team'];
    const again = await signInThroughProvider(tapeoutUrl, 'alice');
    assert.deepEqual(await collectionsOf(again.sessionCookie!), ['handbook', 'soc-notes']);
  });

  it('makes members of OIDC_ADMIN_GROUP admins, and only them', async () => {
    const carol = await signInThroughProvider(tapeoutUrl, 'carol');
    assert.equal(((await (await api('/api/me', carol.sessionCookie)).json()) as { user: { role: string } }).user.role, 'admin');
    provider.accounts.get('carol')!.groups = [];
    const later = await signInThroughProvider(tapeoutUrl, 'carol');
    assert.equal(((await (await api('/api/me', later.sessionCookie)).json()) as { user: { role: string } }).user.role, 'member');
  });

  it('lets a member who is in soc-team only through SSO read its collection over /v1, with a key she made in her session, and nobody else', async () => {
    const askV1 = async (login: string) => {
      const { sessionCookie } = await signInThroughProvider(tapeoutUrl, login);
      const { csrfToken } = (await (await api('/api/me', sessionCookie)).json()) as { csrfToken: string };
      const made = await api('/api/api-keys', sessionCookie, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'script' }),
      });
      const { key } = (await made.json()) as { key: string };
      const response = await fetch(`${runtime.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'soc-helper', messages: [{ role: 'user', content: 'When is the Orion B0 tape-out date?' }] }),
      });
      assert.equal(response.status, 200);
      return JSON.stringify(await response.json());
    };
    assert.match(await askV1('alice'), /14 March/);
    assert.doesNotMatch(await askV1('bob'), /14 March/);
  });

  it('refuses a callback whose state was not issued to this browser', async () => {
    const outcome = await signInThroughProvider(tapeoutUrl, 'bob', {
      editCallback: (url) => {
        url.searchParams.set('state', 'forged-state');
        return url;
      },
    });
    assert.equal(outcome.location, '/?signInError=sso_state_mismatch');
    assert.equal(outcome.sessionCookie, undefined);
  });

  it('refuses a replayed callback: the attempt and the code are used once', async () => {
    let replay: { url: string; cookie: string } | undefined;
    const first = await signInThroughProvider(tapeoutUrl, 'bob', {
      editCallback: (url, cookie) => {
        replay = { url: url.href, cookie };
        return url;
      },
    });
    assert.ok(first.sessionCookie);
    const again = await fetch(replay!.url, { redirect: 'manual', headers: { cookie: replay!.cookie } });
    assert.equal(again.headers.get('location'), '/?signInError=sso_attempt_missing');
    assert.equal(
      again.headers.getSetCookie().some((cookie) => cookie.startsWith('tapeout_session=') && !cookie.startsWith('tapeout_session=;')),
      false,
    );
  });

  it("refuses an ID token for another audience, and an expired one, though both carry the provider's real signature", async () => {
    provider.tamperIdToken = (claims) => ({ ...claims, aud: 'some-other-client' });
    assert.equal((await signInThroughProvider(tapeoutUrl, 'bob')).location, '/?signInError=sso_failed');
    provider.tamperIdToken = (claims) => ({
      ...claims,
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    assert.equal((await signInThroughProvider(tapeoutUrl, 'bob')).location, '/?signInError=sso_failed');
    provider.tamperIdToken = undefined;
    const failures = (await auditActions('auth.sso_sign_in')).filter(
      (row) => row.outcome === 'failure' && row.details.code === 'sso_failed',
    );
    assert.equal(failures.length, 2);
    assert.match(String(failures[0]!.details.reason), /aud/i);
    assert.match(String(failures[1]!.details.reason), /exp|expired|timestamp/i);
  });

  it('refuses an unverified email and a domain that is not allowed, creating nobody', async () => {
    assert.equal((await signInThroughProvider(tapeoutUrl, 'unverified')).location, '/?signInError=sso_email_unverified');
    assert.equal((await signInThroughProvider(tapeoutUrl, 'outsider')).location, '/?signInError=sso_domain_not_allowed');
    const { rowCount } = await runtime.services.db.query(`SELECT 1 FROM users WHERE email IN ('eve@example.com', 'mallory@elsewhere.org')`);
    assert.equal(rowCount, 0);
  });

  it('keeps provider-managed groups out of hand edits', async () => {
    const { rows } = await runtime.services.db.query<{ id: string }>(`SELECT id FROM groups WHERE name = 'soc-team'`);
    const response = await fetch(`${runtime.url}/api/groups/${rows[0]!.id}/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com' }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /managed by the identity provider/);
  });

  it("with PASSWORD_SIGN_IN=false refuses a member's password but lets an admin in (break-glass)", async () => {
    await runtime.services.users.register(systemActor, { email: 'dave@example.com', role: 'member', password: 'a member password' });
    const member = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dave@example.com', password: 'a member password' }),
    });
    assert.equal(member.status, 403);
    await runtime.services.users.register(systemActor, { email: 'ops@example.com', role: 'admin', password: 'an admin password' });
    const admin = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'an admin password' }),
    });
    assert.equal(admin.status, 200);
  });

  it('refuses SSO sign-in to an account the identity provider deactivated', async () => {
    const { rows } = await runtime.services.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'bob@example.com'`);
    await runtime.services.users.setActive(systemActor, rows[0]!.id, false);
    const outcome = await signInThroughProvider(tapeoutUrl, 'bob');
    assert.equal(outcome.location, '/?signInError=sso_account_deactivated');
    assert.equal(outcome.sessionCookie, undefined);
    await runtime.services.users.setActive(systemActor, rows[0]!.id, true);
  });

  it('signs out at the provider too: sign-out answers with its end-session URL', async () => {
    const outcome = await signInThroughProvider(tapeoutUrl, 'bob');
    const me = (await (await api('/api/me', outcome.sessionCookie)).json()) as { csrfToken: string };
    const response = await api('/api/auth/sign-out', outcome.sessionCookie, { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } });
    assert.equal(response.status, 200);
    const { redirectTo } = (await response.json()) as { redirectTo: string };
    const target = new URL(redirectTo);
    assert.equal(target.origin, provider.issuer);
    assert.equal(target.searchParams.get('post_logout_redirect_uri'), `${tapeoutUrl}/`);
    assert.ok(target.searchParams.get('id_token_hint'));
    assert.equal((await api('/api/me', outcome.sessionCookie)).status, 401);
  });

  it('bounds the SSO sign-ins started from one address, since each stores an attempt', async () => {
    const start = () => fetch(`${runtime.url}/api/auth/oidc/start`, { redirect: 'manual' });
    const locations: string[] = [];
    for (let i = 0; i < 300; i += 1) locations.push((await start()).headers.get('location') ?? '');
    assert.ok(locations.slice(0, 200).every((location) => location.startsWith(provider.issuer)));
    assert.equal((await start()).headers.get('location'), '/?signInError=sso_too_many_attempts');
  });
});
