import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startEmulator } from '../../support/emulator.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const memberPassword = 'member password 1';

describe('socket.io re-checks its credential: revoked keys, ended sessions and removed users close their sockets', () => {
  let runtime: TestRuntime;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const sockets: Socket[] = [];
  const question = 'Where are level shifters required?';
  const api = (method: string, route: string, key: string, body?: unknown) =>
    fetch(`${runtime.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  /** A member with a password and an API key of their own. */
  async function member(email: string) {
    const user = await runtime.services.users.create(systemActor, { email, role: 'member', password: memberPassword });
    const created = await (await api('POST', '/api/api-keys', runtime.apiKey, { name: 'socket', owner: email })).json();
    return { user, key: created.key as string, keyId: created.apiKey.id as string };
  }
  const connect = (options: { token?: string; cookie?: string }) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(runtime.url, {
        transports: ['websocket'],
        reconnection: false,
        ...(options.token ? { auth: { token: options.token } } : { extraHeaders: { cookie: options.cookie!, origin: runtime.url } }),
      });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));
  const signIn = async (email: string) => {
    const response = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: memberPassword }),
    });
    const { csrfToken } = await response.json();
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrfToken: csrfToken as string };
  };
  /** Starts a slow answer on the socket and resolves once its first token arrived. */
  async function startAnswer(socket: Socket, key: string) {
    const conversationId = (await (await api('POST', '/api/conversations', key, { assistant: 'notes' })).json()).conversation.id as string;
    const streaming = new Promise((resolve) => socket.once('chat:token', resolve));
    const ack = await socket.timeout(5000).emitWithAck('chat:send', { conversationId, content: question });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    await streaming;
    return ack.answerId as string;
  }
  const answerStatus = async (answerId: string) =>
    (await runtime.services.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [answerId])).rows[0]?.status;

  before(async () => {
    emulator = await startEmulator({ tokensPerSecond: 5 });
    runtime = await startTestRuntime({ SEED_DEMO: 'false', LLM_BASE_URL: emulator.url, LLM_MODEL: 'meta/llama-3.1-8b-instruct' });
    await createOpenCollection(runtime, 'notes');
    await runtime.services.assistants.createFromInput(systemActor, {
      slug: 'notes',
      name: 'Notes',
      systemPrompt: 'Answer from the sources.',
      collections: ['notes'],
    });
    await uploadAndWait(
      runtime,
      'notes',
      'power.md',
      '# Power\n\nLevel shifters are required on every signal that crosses from VDD_AON into a switchable domain.\n',
    );
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it('revoking an API key closes its open socket at once and stops the answer streaming on it', async () => {
    const { key, keyId } = await member('ana@example.com');
    const socket = await connect({ token: key });
    const answerId = await startAnswer(socket, key);
    const closed = disconnected(socket);
    assert.equal((await api('DELETE', `/api/api-keys/${keyId}`, runtime.apiKey)).status, 204);
    assert.equal(await closed, 'io server disconnect');
    await waitFor(async () => ((await answerStatus(answerId)) === 'cancelled' ? true : undefined), 'the answer to stop');
    await assert.rejects(connect({ token: key }), /unauthenticated/);
  });

  it("signing out closes the sockets of that session, not those of the user's other credentials", async () => {
    const { key } = await member('ben@example.com');
    const session = await signIn('ben@example.com');
    const bySession = await connect({ cookie: session.cookie });
    const byKey = await connect({ token: key });
    const closed = disconnected(bySession);
    const signOut = await fetch(`${runtime.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    assert.equal(signOut.status, 204);
    assert.equal(await closed, 'io server disconnect');
    assert.equal(byKey.connected, true);
  });

  it("a new password ends the user's session sockets; removing the user closes every socket of theirs", async () => {
    const { user, key } = await member('cy@example.com');
    const bySession = await connect({ cookie: (await signIn('cy@example.com')).cookie });
    const byKey = await connect({ token: key });
    const sessionClosed = disconnected(bySession);
    assert.equal((await api('PATCH', `/api/users/${user.id}`, runtime.apiKey, { password: 'a brand new password' })).status, 200);
    assert.equal(await sessionClosed, 'io server disconnect');
    assert.equal(byKey.connected, true);
    const keyClosed = disconnected(byKey);
    assert.equal((await api('DELETE', `/api/users/${user.id}`, runtime.apiKey)).status, 204);
    assert.equal(await keyClosed, 'io server disconnect');
  });

  it('re-checks the key on every event, so a key revoked elsewhere (another instance, the database) cannot start an answer', async () => {
    const { key, keyId } = await member('dee@example.com');
    const socket = await connect({ token: key });
    const conversationId = (await (await api('POST', '/api/conversations', key, { assistant: 'notes' })).json()).conversation.id as string;
    await runtime.services.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [keyId]);
    const closed = disconnected(socket);
    socket.emit('chat:send', { conversationId, content: question });
    assert.equal(await closed, 'io server disconnect');
    const { rowCount } = await runtime.services.db.query('SELECT 1 FROM messages WHERE conversation_id = $1', [conversationId]);
    assert.equal(rowCount, 0);
  });
});
