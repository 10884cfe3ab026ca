import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startEmulator } from '../../support/emulator.ts';
import { signedSlackRequest, startSlackStandIn } from '../../support/slackStandIn.ts';
import { readEvents } from '../../support/sse.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { buildUser } from '../../support/factories.ts';

const secret = 'slack-signing-secret-for-tests';

describe('per-user chat quotas on every surface', () => {
  let runtime: TestRuntime;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let memberKey: string;
  const sockets: Socket[] = [];
  const question = 'Where are level shifters required?';
  const post = (route: string, body: unknown, key = runtime.apiKey) =>
    fetch(`${runtime.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const newConversation = async (key = runtime.apiKey) =>
    (await (await post('/api/conversations', { assistant: 'notes' }, key)).json()).conversation.id as string;
  const connect = (key: string) => {
    const socket = io(runtime.url, { auth: { token: key }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  };

  before(async () => {
    // Slow enough that an answer is still streaming while the other surfaces are tried.
    emulator = await startEmulator({ tokensPerSecond: 4 });
    slack = await startSlackStandIn({});
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      LLM_BASE_URL: emulator.url,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      CHAT_MAX_CONCURRENT_ANSWERS: '1',
      CHAT_QUESTIONS_PER_MINUTE: '2',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'notes',
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
      '# Power\n\nLevel shifters are required on every signal that crosses from the VDD_AON domain into a switchable domain.\n',
    );
    memberKey = (await buildUser(runtime.services, { email: 'member@example.com' })).apiKey;
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await runtime?.dispose();
    await emulator?.emulator.close();
    await slack?.close();
  });

  it('refuses a second answer at once with 429 on REST, socket.io and /v1, storing nothing; other users are unaffected', async () => {
    const socket = connect(runtime.apiKey);
    const conversationId = await newConversation();
    const streaming = new Promise((resolve) => socket.once('chat:token', resolve));
    const first = await socket.timeout(5000).emitWithAck('chat:send', { conversationId, content: question });
    assert.equal(first.ok, true, JSON.stringify(first));
    await streaming;

    const second = await socket.timeout(5000).emitWithAck('chat:send', { conversationId, content: question });
    assert.equal(second.error.code, 'too_many_concurrent_answers');
    assert.match(second.error.message, /1 answers in progress/);
    const rest = await post(`/api/conversations/${conversationId}/messages`, { content: question });
    assert.equal(rest.status, 429);
    assert.equal((await rest.json()).error.code, 'too_many_concurrent_answers');
    assert.ok(Number(rest.headers.get('retry-after')) >= 1);
    const v1 = await post('/v1/chat/completions', { model: 'notes', messages: [{ role: 'user', content: question }] });
    assert.equal(v1.status, 429);
    assert.deepEqual(Object.keys((await v1.json()).error).sort(), ['code', 'message', 'param', 'type']);
    const { rows } = await runtime.services.db.query<{ count: number }>('SELECT count(*)::int FROM messages WHERE conversation_id = $1', [
      conversationId,
    ]);
    assert.equal(rows[0]!.count, 2, 'only the first question and its answer');

    const theirs = await post(
      '/v1/chat/completions',
      { model: 'notes', stream: true, messages: [{ role: 'user', content: question }] },
      memberKey,
    );
    assert.equal(theirs.status, 200);
    await theirs.body!.cancel();
    const done = new Promise((resolve) => socket.once('chat:done', resolve));
    await socket.timeout(5000).emitWithAck('chat:stop', { answerId: first.answerId });
    await done;
  });

  it('refuses questions past the per-minute limit with 429 and when to try again', async () => {
    emulator.emulator.options.tokensPerSecond = 1000; // from here on, no answer needs to outlast another
    // The first question above counted; one more fits in this minute.
    const conversationId = await newConversation();
    const allowed = await post(`/api/conversations/${conversationId}/messages`, { content: question });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.status === 200 || (await allowed.json())));
    await readEvents(allowed);
    const refused = await post(`/api/conversations/${conversationId}/messages`, { content: question });
    assert.equal(refused.status, 429);
    const { error } = await refused.json();
    assert.equal(error.code, 'too_many_questions');
    assert.match(error.message, /2 questions in the last minute.*try again in \d+ s/);
    assert.ok(Number(refused.headers.get('retry-after')) > 1);
  });

  it('counts an unmapped Slack user by their Slack account, and answers past the limit with the reason', async () => {
    const dm = (ts: string) =>
      fetch(
        `${runtime.url}/slack/events`,
        signedSlackRequest(
          secret,
          JSON.stringify({
            type: 'event_callback',
            team_id: 'T1',
            api_app_id: 'A1',
            event_id: `Ev${ts}`,
            event_time: Math.floor(Date.now() / 1000),
            event: { type: 'message', channel_type: 'im', user: 'U_ANON', text: question, ts, channel: 'D9' },
          }),
        ),
      );
    const finished = () =>
      slack.calls.filter(
        (c) => c.method === 'chat.update' && c.args.channel === 'D9' && /tapeout_feedback_up|:warning:/.test(JSON.stringify(c.args.blocks)),
      ).length;
    for (const [i, ts] of ['1700000001.000100', '1700000002.000100', '1700000003.000100'].entries()) {
      await dm(ts);
      // One at a time: this answer finishes (or is refused) before the next question.
      await waitFor(async () => (finished() > i ? true : undefined), `answer ${i + 1}`, 60_000);
    }
    const refusal = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'D9').at(-1)!;
    assert.match(JSON.stringify(refusal.args.blocks), /2 questions in the last minute/);
  });
});
