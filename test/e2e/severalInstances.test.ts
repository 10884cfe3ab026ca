import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { IngestionJobView } from '../../ingestion/intake/ingestionJobs.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../support/requireService.ts';
import { createOpenCollection, startTestRuntime, testAdminKey, waitFor, type TestRuntime } from '../support/testRuntime.ts';

/**
 * Two server instances, each with its own worker, on one Redis and one database (instance A's
 * embedded database, which B reaches through DATABASE_URL at its socket, as `tapeout db` serves it).
 */
describe('several server instances on one Redis and one database', () => {
  let a: TestRuntime;
  let b: TestRuntime;
  let available = false;
  const sockets: Socket[] = [];
  const connectTo = (runtime: TestRuntime, token: string) => {
    const socket = io(runtime.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };
  const api = (runtime: TestRuntime, route: string, init: RequestInit = {}) =>
    fetch(`${runtime.url}/api${route}`, { ...init, headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'application/json', ...init.headers } });

  before(async () => {
    available = await redisAvailable();
    if (!available) return;
    const shared = { SEED_DEMO: 'false', REDIS_URL: redisUrl, QUEUE_PREFIX: `tapeout-test-${randomUUID().slice(0, 8)}` };
    a = await startTestRuntime(shared);
    const { host, port } = a.services.db.pool.options as { host: string; port: number };
    // B shares A's data directory for the uploaded files, as instances share a volume.
    b = await startTestRuntime({ ...shared, DATA_DIR: a.dataDir, DATABASE_URL: `postgresql://postgres@localhost:${port}/postgres?host=${encodeURIComponent(host)}` });
    await createOpenCollection(a, 'sta');
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await b?.dispose();
    await a?.dispose();
  });

  it('closes at once a socket on instance B whose key is revoked on instance A', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const created = await (await api(a, '/api-keys', { method: 'POST', body: JSON.stringify({ name: 'laptop' }) })).json();
    const socket = await connectTo(b, created.key);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    assert.equal((await api(a, `/api-keys/${created.apiKey.id}`, { method: 'DELETE' })).status, 204);
    const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]);
    assert.equal(outcome, 'closed', 'without sending anything: the revocation reached B through the Redis adapter');
  });

  it('continues on instance B a conversation started on instance A, with its history', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    await api(a, '/assistants', { method: 'POST', body: JSON.stringify({ slug: 'sta-helper', name: 'STA helper', systemPrompt: 'Answer from the sources.', collections: ['sta'] }) });
    const { conversation } = await (await api(a, '/conversations', { method: 'POST', body: JSON.stringify({ assistant: 'sta-helper' }) })).json();
    const ask = (runtime: TestRuntime, content: string) => api(runtime, `/conversations/${conversation.id}/messages`, { method: 'POST', body: JSON.stringify({ content }) }).then((r) => r.text());
    assert.match(await ask(a, 'How are hold violations fixed?'), /event: done\ndata: \{[^\n]*"status":"complete"/);
    assert.match(await ask(b, 'And on the scan path?'), /event: done\ndata: \{[^\n]*"status":"complete"/);
    const { messages } = await (await api(a, `/conversations/${conversation.id}`)).json();
    assert.deepEqual(messages.map((message: { role: string }) => message.role), ['user', 'assistant', 'user', 'assistant']);
  });

  it('shows the progress of an upload on instance A to a watcher on instance B, each update once', async (t) => {
    if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
    const watcher = await connectTo(b, testAdminKey);
    const updates: IngestionJobView[] = [];
    watcher.on('ingestion:progress', (job: IngestionJobView) => updates.push(job));
    assert.deepEqual(await watcher.timeout(5_000).emitWithAck('ingestion:watch', { collection: 'sta' }), { ok: true });

    const form = new FormData();
    form.append('files', new Blob(['# Hold fixing\n\nHold violations on the scan path are fixed with delay cells after CTS, never before.']), 'hold.md');
    const upload = await fetch(`${a.url}/api/collections/sta/documents`, { method: 'POST', headers: { authorization: `Bearer ${testAdminKey}` }, body: form });
    const jobId: string = (await upload.json()).jobs[0].id;
    await waitFor(async () => (updates.some((job) => job.id === jobId && job.state === 'completed') ? true : undefined), 'the completed update on B');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(updates.filter((job) => job.id === jobId && job.state === 'completed').length, 1, 'not once per instance');
  });
});
