import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { shutdownNotice } from '../../../server/lifecycle/AnswersInFlight.ts';
import { startEmulator } from '../../support/emulator.ts';
import { readEvents } from '../../support/sse.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Events = Awaited<ReturnType<typeof readEvents>>;

/** A runtime answering through an emulated LLM at `tokensPerSecond`, with one document to cite. */
async function start(
  tokensPerSecond: number,
  graceMs: number,
): Promise<{ runtime: TestRuntime; emulator: Emulator; conversation: string }> {
  const emulator = await startEmulator({ tokensPerSecond });
  const runtime = await startTestRuntime({
    SEED_DEMO: 'false',
    SHUTDOWN_GRACE_MS: String(graceMs),
    LLM_BASE_URL: emulator.url,
    LLM_MODEL: 'meta/llama-3.1-8b-instruct',
  });
  await runtime.services.assistants.create(systemActor, {
    slug: 'launch',
    name: 'Launch',
    systemPrompt: 'Answer from the sources.',
    collectionIds: [await createOpenCollection(runtime, 'handbook')],
  });
  await uploadAndWait(
    runtime,
    'handbook',
    'launch.md',
    '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager. It lasts one hour and ends with a go or no-go decision.\n',
  );
  const created = await fetch(`${runtime.url}/api/conversations`, {
    method: 'POST',
    headers: headers(runtime),
    body: JSON.stringify({ assistant: 'launch' }),
  });
  return { runtime, emulator, conversation: ((await created.json()) as { conversation: { id: string } }).conversation.id };
}

const headers = (runtime: TestRuntime) => ({ authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' });

/** Asks over REST; resolves once the first token has arrived, with the stream's events to come (wrapped: a returned promise would be awaited too). */
async function askAndWaitForFirstToken(runtime: TestRuntime, conversation: string): Promise<{ events: Promise<Events> }> {
  const response = await fetch(`${runtime.url}/api/conversations/${conversation}/messages`, {
    method: 'POST',
    headers: headers(runtime),
    body: JSON.stringify({ content: 'When is the launch review and how does it end?' }),
  });
  let firstToken!: () => void;
  const tokenArrived = new Promise<void>((resolve) => (firstToken = resolve));
  const events = readEvents(response, (event) => event.event === 'token' && firstToken());
  await tokenArrived;
  return { events };
}

describe('SIGTERM drain (runtime.stop)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('lets an answer in flight finish within the grace period and refuses new questions meanwhile', async () => {
    const { runtime, emulator, conversation } = await start(200, 20_000);
    cleanups.push(() => emulator.emulator.close());
    const socket = io(runtime.url, { auth: { token: runtime.apiKey }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const { events } = await askAndWaitForFirstToken(runtime, conversation);
    assert.equal(runtime.services.answersInFlight.count, 1, 'the answer is still streaming when the stop begins');
    const stopped = runtime.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = (await socket
      .timeout(5_000)
      .emitWithAck('chat:send', { conversationId: conversation, content: 'And who attends?' })) as { error?: { code: string } };
    assert.equal(refused.error?.code, 'server_shutting_down');
    const done = (await events).find((event) => event.event === 'done');
    assert.equal(done?.data.status, 'complete');
    await stopped;
    socket.close();
    cleanups.push(() => rm(runtime.dataDir, { recursive: true, force: true }));
  });

  it('cuts off an answer still running when the grace period ends, storing what streamed with a notice', async () => {
    const { runtime, emulator, conversation } = await start(4, 500);
    cleanups.push(() => emulator.emulator.close());
    const { events } = await askAndWaitForFirstToken(runtime, conversation);
    const startedAt = Date.now();
    await runtime.stop();
    assert.ok(Date.now() - startedAt < 4_000, 'the stop waits for the grace period, not for the answer');
    const streamed = await events;
    const done = streamed.find((event) => event.event === 'done');
    assert.equal(done?.data.status, 'failed');
    assert.deepEqual(done?.data.error, { code: 'server_shutting_down', message: shutdownNotice });
    const text = streamed
      .filter((event) => event.event === 'token')
      .map((event) => event.data.text)
      .join('');
    assert.ok(text.length > 0);

    const db = await openTestDatabase(path.join(runtime.dataDir, 'pg'));
    cleanups.push(async () => {
      await db.close();
      await rm(runtime.dataDir, { recursive: true, force: true });
    });
    const { rows } = await db.query<{ content: string; status: string; error: { code: string } }>(
      `SELECT content, status, error FROM messages WHERE role = 'assistant'`,
    );
    assert.deepEqual(
      rows.map((row) => [row.content, row.status, row.error.code]),
      [[text, 'failed', 'server_shutting_down']],
    );
  });
});
