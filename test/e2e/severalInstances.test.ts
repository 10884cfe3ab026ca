import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { IngestionJobView } from '../../server/corpus/ingestionJobs.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../support/requireService.ts';
import { signedSlackRequest, startSlackStandIn } from '../support/slackStandIn.ts';
import { startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';
import { testAdminKey, waitFor } from '../support/testRuntime.ts';
import { postFiles } from '../support/factories.ts';

const slackSecret = 'slack-signing-secret-for-tests';

/**
 * A deployment of separate processes, as operators run it: `tapeout db` serving the embedded
 * database, two `tapeout start --no-worker` instances and two `tapeout worker` processes, all on
 * one Redis, one database and one shared data directory (the volume of uploaded files).
 */
describe('two server instances and two workers on one Redis and one database', () => {
  let dataDir: string;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let a: TapeoutProcess;
  let b: TapeoutProcess;
  let available = false;
  const processes: TapeoutProcess[] = [];
  const sockets: Socket[] = [];
  const connectTo = (instance: TapeoutProcess, token: string) => {
    const socket = io(instance.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };
  const api = (instance: TapeoutProcess, route: string, init: RequestInit = {}) =>
    fetch(`${instance.url}/api${route}`, {
      ...init,
      headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'application/json', ...init.headers },
    });
  const start = async (env: Record<string, string>, args: string[]) => {
    const started = await startTapeoutProcess(env, 90_000, args);
    processes.push(started);
    return started;
  };

  before(async () => {
    available = await redisAvailable();
    if (!available) return;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-instances-'));
    slack = await startSlackStandIn({ U_ADMIN: 'admin@tapeout.local' });
    const database = await start({ DATA_DIR: dataDir }, ['db']);
    const shared = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `tapeout-test-${randomUUID().slice(0, 8)}`,
      ADMIN_API_KEY: testAdminKey,
      SEED_DEMO: 'false',
      SENTENCE_ENCODER: 'off',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: slackSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'sta-helper',
    };
    // A first, so one process applies the migrations and creates the admin; then the rest at once.
    a = await start(shared, ['start', '--no-worker']);
    [b] = await Promise.all([start(shared, ['start', '--no-worker']), start(shared, ['worker']), start(shared, ['worker'])]);
    await api(a, '/collections', { method: 'POST', body: JSON.stringify({ slug: 'sta', name: 'STA' }) });
    await api(a, '/collections/sta/grants', { method: 'POST', body: JSON.stringify({ group: 'everyone' }) });
    await api(a, '/assistants', {
      method: 'POST',
      body: JSON.stringify({ slug: 'sta-helper', name: 'STA helper', systemPrompt: 'Answer from the sources.', collections: ['sta'] }),
    });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    // Servers and workers first, the database they use last.
    await Promise.all(processes.slice(1).map((process) => process.stop()));
    await processes[0]?.stop();
    await slack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the progress of an upload on instance A to a watcher on instance B, each update once', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const watcher = await connectTo(b, testAdminKey);
    const updates: IngestionJobView[] = [];
    watcher.on('ingestion:progress', (job: IngestionJobView) => updates.push(job));
    assert.deepEqual(await watcher.timeout(5_000).emitWithAck('ingestion:watch', { collection: 'sta' }), { ok: true });

    const jobId = (
      await postFiles({ url: a.url, apiKey: testAdminKey }, 'sta', {
        'hold.md': '# Hold fixing\n\nHold violations on the scan path are fixed with delay cells after CTS, never before.',
      })
    )[0]!.id;
    await waitFor(
      async () => (updates.some((job) => job.id === jobId && job.state === 'completed') ? true : undefined),
      'the completed update on B',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(updates.filter((job) => job.id === jobId && job.state === 'completed').length, 1, 'not once per instance');
  });

  it('continues on instance B a conversation started on instance A, with its history', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const { conversation } = await (
      await api(a, '/conversations', { method: 'POST', body: JSON.stringify({ assistant: 'sta-helper' }) })
    ).json();
    const ask = (instance: TapeoutProcess, content: string) =>
      api(instance, `/conversations/${conversation.id}/messages`, { method: 'POST', body: JSON.stringify({ content }) }).then((r) =>
        r.text(),
      );
    assert.match(await ask(a, 'How are hold violations fixed?'), /event: done\ndata: \{[^\n]*"status":"complete"/);
    assert.match(await ask(b, 'And on the scan path?'), /event: done\ndata: \{[^\n]*"status":"complete"/);
    const { messages } = await (await api(a, `/conversations/${conversation.id}`)).json();
    assert.deepEqual(
      messages.map((message: { role: string }) => message.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
  });

  it('answers once a Slack event delivered to both instances', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const threadTs = '1700000500.000100';
    const envelope = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'EvBothInstances',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U_ADMIN',
        text: '<@UBOT> How are hold violations fixed?',
        ts: threadTs,
        channel: 'C1',
        event_ts: threadTs,
      },
    });
    const deliveries = await Promise.all(
      [a, b].map((instance) => fetch(`${instance.url}/slack/events`, signedSlackRequest(slackSecret, envelope))),
    );
    assert.deepEqual(
      deliveries.map((response) => response.status),
      [200, 200],
      'both acknowledged, so Slack stops retrying',
    );
    const postsInThread = () => slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === threadTs);
    await waitFor(
      async () =>
        slack.calls.some((call) => call.method === 'chat.update' && JSON.stringify(call.args.blocks).includes('tapeout_feedback_up'))
          ? true
          : undefined,
      'the finished answer',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(postsInThread().length, 1, 'one answer in the thread, not one per instance');
  });

  it('closes at once a socket on instance B whose key is revoked on instance A', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const created = await (await api(a, '/api-keys', { method: 'POST', body: JSON.stringify({ name: 'laptop' }) })).json();
    const socket = await connectTo(b, created.key);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    assert.equal((await api(a, `/api-keys/${created.apiKey.id}`, { method: 'DELETE' })).status, 204);
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000)),
    ]);
    assert.equal(outcome, 'closed', 'without sending anything: the revocation reached B through the Redis adapter');
  });
});
