import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startEmulator } from '../../support/emulator.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

describe('question, conversation and answer limits on every chat surface', () => {
  let runtime: TestRuntime;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let socket: Socket;
  const tooLong = 'q'.repeat(201);
  const post = (route: string, body: unknown) =>
    fetch(`${runtime.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const newConversation = async () => (await (await post('/api/conversations', { assistant: 'notes' })).json()).conversation.id as string;
  const storedMessages = async (conversationId: string) =>
    (await runtime.services.db.query('SELECT 1 FROM messages WHERE conversation_id = $1', [conversationId])).rowCount;

  before(async () => {
    emulator = await startEmulator({ tokensPerSecond: 1000 });
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      LLM_BASE_URL: emulator.url,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      CHAT_MAX_QUESTION_CHARS: '200',
      CHAT_MAX_MESSAGES: '5',
      CHAT_MAX_HISTORY_CHARS: '1000',
      LLM_MAX_TOKENS: '16',
    });
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
      '# Power\n\nLevel shifters are required on every signal that crosses from the VDD_AON domain into a switchable domain, and isolation cells clamp outputs of a powered-down domain.\n',
    );
    socket = io(runtime.url, { auth: { token: runtime.apiKey }, transports: ['websocket'], reconnection: false });
  });
  after(async () => {
    socket?.close();
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it('REST refuses an over-long question with 413 naming the limit, before its stream starts, storing nothing', async () => {
    const conversationId = await newConversation();
    const response = await post(`/api/conversations/${conversationId}/messages`, { content: tooLong });
    assert.equal(response.status, 413);
    assert.match(response.headers.get('content-type') ?? '', /json/);
    const { error } = await response.json();
    assert.equal(error.code, 'question_too_long');
    assert.match(error.message, /limited to 200 characters; this one has 201/);
    assert.equal(await storedMessages(conversationId), 0);
  });

  it('socket.io acknowledges an over-long question with the same error, storing nothing', async () => {
    const conversationId = await newConversation();
    const ack = await socket.timeout(5000).emitWithAck('chat:send', { conversationId, content: tooLong });
    assert.equal(ack.error.code, 'question_too_long');
    assert.match(ack.error.message, /200 characters/);
    assert.equal(await storedMessages(conversationId), 0);
  });

  it('a refused first question leaves no empty conversation behind; an accepted one creates it', async () => {
    const count = async () => (await runtime.services.db.query('SELECT 1 FROM conversations')).rowCount;
    const before = await count();
    const refused = await socket.timeout(5000).emitWithAck('chat:send', { assistant: 'notes', content: tooLong });
    assert.equal(refused.error.code, 'question_too_long');
    assert.equal(await count(), before);
    const done = new Promise((resolve) => socket.once('chat:done', resolve));
    const accepted = await socket
      .timeout(5000)
      .emitWithAck('chat:send', { assistant: 'notes', content: 'Where are level shifters required?' });
    assert.equal(accepted.ok, true);
    assert.equal(accepted.conversation.assistant, 'notes');
    await done;
    assert.equal(await count(), before! + 1);
    assert.equal(
      (await socket.timeout(5000).emitWithAck('chat:send', { assistant: 'no-such-assistant', content: 'hi' })).error.code,
      'not_found',
    );
  });

  it('/v1 refuses too many messages (400), too much text (413), an over-long question (413) and max_tokens above the ceiling (400)', async () => {
    const completion = (messages: { role: string; content: string }[], extra: object = {}) =>
      post('/v1/chat/completions', { model: 'notes', messages, ...extra });
    const user = (content: string) => ({ role: 'user', content });
    const cases: [Response, number, string, RegExp][] = [
      [await completion(Array.from({ length: 6 }, () => user('hi'))), 400, 'too_many_messages', /at most 5 messages; this one has 6/],
      [
        await completion([user('x'.repeat(300)), ...Array.from({ length: 4 }, () => user('y'.repeat(200)))]),
        413,
        'conversation_too_long',
        /1,000 characters together; these have 1,100/,
      ],
      [await completion([user(tooLong)]), 413, 'question_too_long', /200 characters/],
      [
        await completion([user('Where are level shifters required?')], { max_tokens: 17 }),
        400,
        'max_tokens_too_large',
        /at most 16 .* asks for 17/,
      ],
    ];
    for (const [response, status, code, message] of cases) {
      const body = await response.json();
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(body.error.code, code);
      assert.match(body.error.message, message);
      assert.equal(body.error.type, 'invalid_request_error');
    }
  });

  it('never lets the LLM write more than LLM_MAX_TOKENS, whatever the caller asks', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'notes',
      messages: [{ role: 'user', content: 'Where are level shifters required?' }],
    });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.answer_mode, 'llm');
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.ok(body.choices[0].message.content.split(/\s+/).length <= 17, body.choices[0].message.content);
  });
});
