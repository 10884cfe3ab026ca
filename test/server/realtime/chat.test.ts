import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startEmulator } from '../../support/emulator.ts';
import { readEvents } from '../../support/sse.ts';
import { startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { buildAssistant, buildCollection, buildUser } from '../../support/factories.ts';

interface Turn {
  citations: { title: string; snippet: string }[];
  text: string;
  done: { status: string; answerId: string };
}

describe('chat over socket.io, and grants on every chat surface', () => {
  let runtime: TestRuntime;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let memberKey: string;
  const sockets: Socket[] = [];
  const question = 'What is the code name of the launch?';

  const connect = (token: string) => {
    const socket = io(runtime.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  };
  const api = (route: string, key: string, body?: unknown) =>
    fetch(`${runtime.url}${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const conversation = async (key: string) =>
    (await (await api('/api/conversations', key, { assistant: 'launch' })).json()).conversation.id as string;

  /** One turn over the socket; `stopAfter` tokens, the answer is stopped. */
  async function ask(socket: Socket, conversationId: string, content: string, stopAfter?: number): Promise<Turn> {
    const turn: Turn = { citations: [], text: '', done: { status: '', answerId: '' } };
    let tokens = 0;
    const finished = new Promise<void>((resolve) => socket.once('chat:done', (done) => ((turn.done = done), resolve())));
    socket.on('chat:citations', ({ citations }) => (turn.citations = citations));
    socket.on('chat:token', ({ text, answerId }) => {
      turn.text += text;
      if (++tokens === stopAfter) void socket.emitWithAck('chat:stop', { answerId });
    });
    const ack = await socket.timeout(10_000).emitWithAck('chat:send', { conversationId, content });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    await finished;
    socket.off('chat:citations');
    socket.off('chat:token');
    return turn;
  }

  before(async () => {
    emulator = await startEmulator({ tokensPerSecond: 60 });
    runtime = await startTestRuntime({ SEED_DEMO: 'false', LLM_BASE_URL: emulator.url, LLM_MODEL: 'meta/llama-3.1-8b-instruct' });
    const { services } = runtime;
    await buildCollection(services, { slug: 'handbook', name: 'Handbook', grants: { everyone: 'read' } });
    await buildCollection(services, { slug: 'secret', name: 'Secret' });
    await buildAssistant(services, { slug: 'launch', name: 'Launch', collections: ['handbook', 'secret'] });
    await uploadAndWait(
      runtime,
      'handbook',
      'launch.md',
      '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager.\n',
    );
    await uploadAndWait(
      runtime,
      'secret',
      'codename.md',
      '# Code name\n\nThe code name of the launch is BLUEFALCON; do not share it outside the core team.\n',
    );
    const member = await buildUser(services, { email: 'member@example.com' });
    memberKey = member.apiKey;
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it('streams an answer over the socket, citing what the asker may read (an admin reads the secret)', async () => {
    const turn = await ask(connect(runtime.apiKey), await conversation(runtime.apiKey), question);
    assert.equal(turn.done.status, 'complete');
    assert.ok(
      turn.citations.some((c) => c.title === 'Code name'),
      'the admin sees the secret collection',
    );
  });

  it('never shows a member anything from a collection not granted to them: socket.io, REST and /v1', async () => {
    const socketTurn = await ask(connect(memberKey), await conversation(memberKey), question);
    const rest = await readEvents(
      await api(`/api/conversations/${await conversation(memberKey)}/messages`, memberKey, { content: question }),
    );
    const v1 = await (
      await api('/v1/chat/completions', memberKey, { model: 'launch', messages: [{ role: 'user', content: question }] })
    ).json();
    const restText = rest
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text)
      .join('');
    const restCitations = rest.find((e) => e.event === 'citations')!.data.citations as { title: string; snippet: string }[];
    for (const [surface, text, citations] of [
      ['socket.io', socketTurn.text, socketTurn.citations],
      ['REST', restText, restCitations],
      ['/v1', v1.choices[0].message.content as string, v1.citations as { title: string; snippet: string }[]],
    ] as const) {
      assert.doesNotMatch(text, /BLUEFALCON/, `${surface} answer`);
      assert.ok(!citations.some((c) => c.title === 'Code name' || /BLUEFALCON/.test(c.snippet)), `${surface} citations`);
    }
  });

  it('stops an answer on chat:stop and keeps it as cancelled', async () => {
    const socket = connect(runtime.apiKey);
    const id = await conversation(runtime.apiKey);
    const turn = await ask(socket, id, 'When is the launch review and who attends it?', 2);
    assert.equal(turn.done.status, 'cancelled');
    const { messages } = await (await api(`/api/conversations/${id}`, runtime.apiKey)).json();
    assert.deepEqual([messages[1].status, messages[1].content.length > 0], ['cancelled', true]);
  });

  it('answers a bad request through the acknowledgement, with the REST error shape', async () => {
    const socket = connect(memberKey);
    const foreign = await conversation(runtime.apiKey);
    assert.deepEqual(
      (await socket.timeout(5000).emitWithAck('chat:send', { conversationId: foreign, content: 'hi' })).error.code,
      'not_found',
    );
    assert.deepEqual((await socket.timeout(5000).emitWithAck('chat:send', { conversationId: foreign })).error.code, 'invalid_request');
  });

  it('regenerates the latest answer in place: the old question and answer are replaced, not repeated', async () => {
    const socket = connect(runtime.apiKey);
    const id = await conversation(runtime.apiKey);
    const first = await ask(socket, id, 'When is the launch review?');
    const finished = new Promise<{ status: string; answerId: string }>((resolve) => socket.once('chat:done', resolve));
    const ack = await socket.timeout(10_000).emitWithAck('chat:regenerate', { answerId: first.done.answerId });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.notEqual(ack.answerId, first.done.answerId);
    assert.equal((await finished).status, 'complete');
    const { messages } = await (await api(`/api/conversations/${id}`, runtime.apiKey)).json();
    assert.deepEqual(
      messages.map((m: { role: string; id: string }) => [m.role, m.id === ack.answerId]),
      [
        ['user', false],
        ['assistant', true],
      ],
    );
    assert.equal(messages[0].content, 'When is the launch review?');
    const stale = await socket.timeout(5000).emitWithAck('chat:regenerate', { answerId: first.done.answerId });
    assert.equal(stale.error.code, 'not_found');
  });

  it("refuses to regenerate an answer that is not the latest, or somebody else's", async () => {
    const socket = connect(runtime.apiKey);
    const id = await conversation(runtime.apiKey);
    const first = await ask(socket, id, 'When is the launch review?');
    await ask(socket, id, 'Who attends it?');
    assert.match(
      (await socket.timeout(5000).emitWithAck('chat:regenerate', { answerId: first.done.answerId })).error.message,
      /Only the latest answer/,
    );
    const last = (await (await api(`/api/conversations/${id}`, runtime.apiKey)).json()).messages.at(-1).id;
    assert.equal((await connect(memberKey).timeout(5000).emitWithAck('chat:regenerate', { answerId: last })).error.code, 'not_found');
  });

  it('shows a cited passage in context to who may read it, and to nobody else', async () => {
    const turn = await ask(connect(runtime.apiKey), await conversation(runtime.apiKey), question);
    const secret = turn.citations.find((c) => c.title === 'Code name') as unknown as { chunkId: string; documentId: string };
    const view = await (await api(`/api/passages/${secret.chunkId}`, runtime.apiKey)).json();
    assert.match(view.passage.text, /BLUEFALCON/);
    assert.deepEqual(
      [view.document.filename, view.document.collection, view.passage.headingPath],
      ['codename.md', 'secret', ['Code name']],
    );
    for (const route of [`/api/passages/${secret.chunkId}`, `/api/documents/${secret.documentId}/file`]) {
      const refused = await api(route, memberKey);
      assert.deepEqual([refused.status, (await refused.json()).error.code], [404, 'not_found'], route);
    }
    const file = await api(`/api/documents/${secret.documentId}/file`, runtime.apiKey);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition')!, /^attachment; filename="?codename\.md"?/);
    assert.deepEqual(
      [file.headers.get('content-type'), file.headers.get('x-content-type-options')],
      ['application/octet-stream', 'nosniff'],
    );
    assert.match(await file.text(), /BLUEFALCON/);
    assert.equal((await api('/api/passages/not-a-number', runtime.apiKey)).status, 404);
  });
});
