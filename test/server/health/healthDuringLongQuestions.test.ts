import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { signedSlackRequest, startSlackStandIn } from '../../support/slackStandIn.ts';
import { readEvents } from '../../support/sse.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const secret = 'slack-signing-secret-for-tests';
const limit = 8000;
let seed = 7;
const randomLetters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
/**
 * The largest accepted questions of the shapes that were quadratic: one run of a letter, of Han
 * characters, of identifier parts, of emoji, and of letters that never repeat a slice.
 */
const worstQuestions = ['a'.repeat(limit), '北'.repeat(limit), 'a_'.repeat(limit / 2), '😀'.repeat(limit / 2), randomLetters(limit)];
/** The review's bar: /healthz keeps answering within this while the worst accepted question runs. */
const healthBudgetMs = 200;

describe('/healthz keeps answering while the largest accepted questions run, on every surface', () => {
  let runtime: TestRuntime;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let socket: Socket;
  const post = (route: string, body: unknown) =>
    fetch(`${runtime.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const newConversation = async () => (await (await post('/api/conversations', { assistant: 'notes' })).json()).conversation.id as string;

  /** The slowest /healthz round trip while `work` runs; requests go back to back, so any stall of the event loop delays one. */
  async function worstHealthLatency(work: () => Promise<unknown>): Promise<number> {
    let worst = 0;
    let running = true;
    const poll = (async () => {
      while (running) {
        const started = performance.now();
        assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);
        worst = Math.max(worst, performance.now() - started);
      }
    })();
    try {
      await work();
    } finally {
      running = false;
      await poll;
    }
    return worst;
  }

  before(async () => {
    slack = await startSlackStandIn({});
    // As `npm start` runs it: the database's statements in their own process, not on this event loop.
    runtime = await startTestRuntime({
      EMBEDDED_DATABASE: 'process',
      SENTENCE_ENCODER: 'auto',
      SEED_DEMO: 'false',
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
      '# Power\n\nLevel shifters are required on every signal that crosses from VDD_AON into a switchable domain.\n\n## Isolation\n\nIsolation cells clamp the outputs of a powered-down domain to a known value.\n',
    );
    socket = io(runtime.url, { auth: { token: runtime.apiKey }, transports: ['websocket'], reconnection: false });
  });
  after(async () => {
    socket?.close();
    await runtime?.dispose();
    await slack?.close();
  });

  it('REST: a question of 8,000 characters of each worst shape', async () => {
    const worst = await worstHealthLatency(async () => {
      for (const content of worstQuestions) {
        const response = await post(`/api/conversations/${await newConversation()}/messages`, { content });
        assert.equal(response.status, 200);
        assert.equal((await readEvents(response)).at(-1)!.event, 'done');
      }
    });
    assert.ok(worst < healthBudgetMs, `/healthz took ${worst.toFixed(0)} ms`);
  });

  it('socket.io: the same questions', async () => {
    const worst = await worstHealthLatency(async () => {
      for (const content of worstQuestions) {
        const done = new Promise((resolve) => socket.once('chat:done', resolve));
        assert.equal(
          (await socket.timeout(30_000).emitWithAck('chat:send', { conversationId: await newConversation(), content })).ok,
          true,
        );
        await done;
      }
    });
    assert.ok(worst < healthBudgetMs, `/healthz took ${worst.toFixed(0)} ms`);
  });

  it('/v1: 200 messages of 200,000 characters, the last an 8,000-character question', async () => {
    const worst = await worstHealthLatency(async () => {
      for (const question of worstQuestions) {
        const history = Array.from({ length: 199 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: question.slice(0, 960) }));
        const response = await post('/v1/chat/completions', {
          model: 'notes',
          messages: [...history, { role: 'user', content: question }],
        });
        assert.equal(response.status, 200, JSON.stringify(await response.clone().json()));
        await response.json();
      }
    });
    assert.ok(worst < healthBudgetMs, `/healthz took ${worst.toFixed(0)} ms`);
  });

  it('Slack: the same questions in a direct message', async () => {
    const worst = await worstHealthLatency(async () => {
      for (const [i, text] of worstQuestions.entries()) {
        const ts = `170000000${i}.000100`;
        const body = JSON.stringify({
          type: 'event_callback',
          team_id: 'T1',
          api_app_id: 'A1',
          event_id: `Ev${i}`,
          event_time: Math.floor(Date.now() / 1000),
          event: { type: 'message', channel_type: 'im', user: 'U1', text, ts, channel: 'D1' },
        });
        assert.equal((await fetch(`${runtime.url}/slack/events`, signedSlackRequest(secret, body))).status, 200);
        await waitFor(
          async () =>
            slack.calls.filter((c) => c.method === 'chat.update' && /tapeout_feedback_up/.test(JSON.stringify(c.args.blocks))).length > i
              ? true
              : undefined,
          `answer ${i}`,
        );
      }
    });
    assert.ok(worst < healthBudgetMs, `/healthz took ${worst.toFixed(0)} ms`);
  });

  it('a conversation whose history holds a 200,000-character question stored before the limit existed', async () => {
    const conversationId = await newConversation();
    await runtime.services.db.query(
      `INSERT INTO messages (conversation_id, role, content, status, created_at) VALUES ($1, 'user', $2, 'complete', now() - interval '2 minutes'), ($1, 'assistant', 'Noted.', 'complete', now() - interval '1 minute')`,
      [conversationId, 'b'.repeat(200_000)],
    );
    const worst = await worstHealthLatency(async () => {
      for (const content of ['And the isolation cells?', 'What do they clamp?']) {
        const response = await post(`/api/conversations/${conversationId}/messages`, { content });
        assert.equal((await readEvents(response)).at(-1)!.event, 'done');
      }
    });
    assert.ok(worst < healthBudgetMs, `/healthz took ${worst.toFixed(0)} ms`);
  });
});
