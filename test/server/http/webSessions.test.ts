import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const adminPassword = 'correct horse battery staple';

describe('web sessions: sign-in, cookies, CSRF, sign-out', () => {
  let runtime: TestRuntime;
  const signIn = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${runtime.url}/api/auth/sign-in`, { method: 'POST', headers, body: JSON.stringify(body) });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false', ADMIN_PASSWORD: adminPassword });
    await runtime.services.users.create(systemActor, { email: 'member@example.com', role: 'member', password: 'member password 1' });
  });
  after(() => runtime?.dispose());

  it('signs in with email and password, setting an httpOnly SameSite=Lax cookie, and returns a CSRF token', async () => {
    const response = await signIn({ email: 'Admin@Tapeout.local', password: adminPassword });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.user.role, 'admin');
    assert.ok(body.csrfToken.length >= 32);
    const cookie = response.headers.get('set-cookie')!;
    assert.match(cookie, /^tapeout_session=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP without TRUST_PROXY: not Secure, or the browser would drop it');
    const me = await (await fetch(`${runtime.url}/api/me`, { headers: { cookie: cookieOf(response) } })).json();
    assert.deepEqual([me.user.email, me.csrfToken], ['admin@tapeout.local', body.csrfToken]);
  });

  it('refuses a wrong password and an unknown email alike, and a form-encoded body', async () => {
    const wrong = await signIn({ email: 'admin@tapeout.local', password: 'nope' });
    const unknown = await signIn({ email: 'ghost@example.com', password: 'nope' });
    assert.deepEqual([wrong.status, (await wrong.json()).error.message], [401, 'Wrong email or password.']);
    assert.deepEqual([unknown.status, (await unknown.json()).error.message], [401, 'Wrong email or password.']);
    const form = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a&password=b',
    });
    assert.equal(form.status, 415);
  });

  it('requires the CSRF token for changes made with the cookie, not for reads', async () => {
    const response = await signIn({ email: 'admin@tapeout.local', password: adminPassword });
    const { csrfToken } = await response.json();
    const cookie = cookieOf(response);
    const create = (headers: Record<string, string>) =>
      fetch(`${runtime.url}/api/groups`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: `g-${Math.random()}` }),
      });
    const without = await create({});
    assert.deepEqual([without.status, (await without.json()).error.code], [403, 'forbidden']);
    assert.equal((await create({ 'x-csrf-token': 'x'.repeat(csrfToken.length) })).status, 403);
    assert.equal((await create({ 'x-csrf-token': csrfToken })).status, 201);
    assert.equal((await fetch(`${runtime.url}/api/groups`, { headers: { cookie } })).status, 200);
  });

  it('signs out: the session no longer works and the cookie is cleared', async () => {
    const response = await signIn({ email: 'admin@tapeout.local', password: adminPassword });
    const { csrfToken } = await response.json();
    const cookie = cookieOf(response);
    const out = await fetch(`${runtime.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie')!, /tapeout_session=;.*Expires=Thu, 01 Jan 1970/);
    const me = await fetch(`${runtime.url}/api/me`, { headers: { cookie } });
    assert.deepEqual([me.status, (await me.json()).error.message], [401, 'Your session has ended; sign in again.']);
  });

  it("ends sessions when an admin changes the user's password", async () => {
    const member = await signIn({ email: 'member@example.com', password: 'member password 1' });
    const cookie = cookieOf(member);
    const { id } = (await member.json()).user;
    await runtime.services.users.update(systemActor, id, { password: 'member password 2' });
    assert.equal((await fetch(`${runtime.url}/api/me`, { headers: { cookie } })).status, 401);
  });

  it('accepts the session cookie on socket.io only from a page of the same origin', async () => {
    const response = await signIn({ email: 'admin@tapeout.local', password: adminPassword });
    const cookie = cookieOf(response);
    const connect = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(runtime.url, { transports: ['websocket'], extraHeaders: { cookie, origin }, reconnection: false });
        socket.on('connect', () => (socket.close(), resolve('connected')));
        socket.on('connect_error', (error) => (socket.close(), resolve(error.message)));
      });
    assert.equal(await connect(runtime.url), 'connected');
    assert.match(await connect('https://evil.example'), /unauthenticated/);
  });

  it('keeps sign-in bodies small without limiting other routes', async () => {
    const huge = await signIn({ email: 'admin@tapeout.local', password: 'x'.repeat(20_000) });
    assert.equal(huge.status, 413);
    const prompt = `Answer from the sources. ${'Quote signal names exactly. '.repeat(600)}`.slice(0, 18_000);
    const created = await fetch(`${runtime.url}/api/assistants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'long-prompt', name: 'Long prompt', systemPrompt: prompt, collections: [] }),
    });
    // Parsed whole: refused for its empty collection list, not for its size.
    assert.deepEqual([created.status, (await created.json()).error.message], [400, 'collections: name at least one collection']);
  });

  it('locks an account after five failures in a row, whatever the password tried next, and audits every attempt without the password', async () => {
    await runtime.services.users.create(systemActor, { email: 'target@example.com', role: 'member', password: 'the right password' });
    for (let i = 0; i < 5; i++) assert.equal((await signIn({ email: 'Target@example.com', password: `guess number ${i}` })).status, 401);
    const locked = await signIn({ email: 'target@example.com', password: 'the right password' });
    assert.equal(locked.status, 429);
    const { error } = await locked.json();
    assert.equal(error.code, 'account_locked');
    assert.match(error.message, /for this account; try again in \d+ s/);
    assert.ok(Number(locked.headers.get('retry-after')) >= 50);
    const { rows } = await runtime.services.db.query<{ outcome: string; actor_email: string; ip: string; reason: string; row: string }>(
      `SELECT outcome, actor_email, ip, details->>'reason' AS reason, to_jsonb(a)::text AS row FROM audit_events a WHERE action = 'auth.sign_in' AND lower(actor_email) = 'target@example.com' ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => r.reason),
      [...Array(5).fill('wrong_credentials'), 'throttled'],
    );
    assert.ok(rows.every((r) => r.outcome === 'failure' && /127\.0\.0\.1/.test(r.ip)));
    assert.ok(
      rows.every((r) => !/guess number|the right password/.test(r.row)),
      'no password in the audit trail',
    );
  });

  it('audits sign-ins and sign-outs', async () => {
    const response = await signIn({ email: 'member@example.com', password: 'member password 2' });
    const { csrfToken } = await response.json();
    await fetch(`${runtime.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: cookieOf(response), 'x-csrf-token': csrfToken } });
    const { rows } = await runtime.services.db.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_events WHERE actor_email = 'member@example.com' ORDER BY id DESC LIMIT 2`,
    );
    assert.deepEqual(rows, [
      { action: 'auth.sign_out', outcome: 'success' },
      { action: 'auth.sign_in', outcome: 'success' },
    ]);
  });

  it('limits failed sign-ins per client address, across accounts', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) last = await signIn({ email: `someone-${i}@example.com`, password: `guess ${i}` });
    assert.deepEqual([last!.status, (await last!.json()).error.code], [429, 'too_many_attempts']);
  });
});
