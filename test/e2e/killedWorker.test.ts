import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../support/emulator.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../support/requireService.ts';
import { startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';
import { testAdminKey, waitFor } from '../support/testRuntime.ts';
import { postFiles } from '../support/factories.ts';

/**
 * A `tapeout worker` process killed (SIGKILL) in the middle of a job: the job must be picked up
 * by another worker and finish with exactly one copy of each chunk.
 */
describe('a worker killed mid-job', () => {
  let dataDir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const processes: TapeoutProcess[] = [];
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-killed-'));
    // Slow embeddings make the embedding stage last seconds, long enough to kill a worker in it.
    emulator = await startEmulator({ latencyMs: 200 });
    env = {
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `tapeout-test-${randomUUID().slice(0, 8)}`,
      QUEUE_STALLED_MS: '2000',
      EMBEDDINGS_BASE_URL: emulator.url,
      EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      EMBEDDINGS_BATCH_SIZE: '16',
      ADMIN_API_KEY: testAdminKey,
      SEED_DEMO: 'false',
    };
  });
  after(async () => {
    for (const child of processes) child.child.kill('SIGKILL');
    await emulator?.emulator.close();
    // The killed server's database process lets go of its files a moment after its parent dies.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('leaves no duplicate or partial chunks, and the job is finished by another worker', async (t) => {
    if (skipOrFail(t, await redisAvailable(), `Redis at ${redisUrl}`)) return;
    const server = await startTapeoutProcess(env, 60_000, ['start', '--no-worker']);
    processes.push(server);
    // Workers share the server's embedded database through its Unix socket.
    const workerEnv = { ...env, DATABASE_URL: `postgresql://postgres@localhost/postgres?host=${path.join(dataDir, 'pg')}` };
    const first = await startTapeoutProcess(workerEnv, 60_000, ['worker']);
    processes.push(first);

    const api = (route: string, init: RequestInit = {}) =>
      fetch(`${server.url}/api${route}`, { ...init, headers: { authorization: `Bearer ${testAdminKey}`, ...init.headers } });
    await api('/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'sta', name: 'STA', chunkSize: 64, chunkOverlap: 8 }),
    });
    const sections = Array.from(
      { length: 150 },
      (_, i) => `## Path group ${i}\n\nPath group ${i} closes setup at the slow corner after useful skew on launch flop u_core/r${i}.`,
    );
    const jobId = (
      await postFiles({ url: server.url, apiKey: testAdminKey }, 'sta', {
        'paths.md': `# Timing paths\n\n${sections.join('\n\n')}`,
      })
    )[0]!.id;
    const job = async () => (await api(`/jobs/${jobId}`)).json();

    await waitFor(async () => ((await job()).stage.startsWith('embedding') ? true : undefined), 'the embedding stage', 60_000);
    first.child.kill('SIGKILL');
    processes.push(await startTapeoutProcess(workerEnv, 60_000, ['worker']));

    const etas: number[] = [];
    const final = await waitFor(
      async () => {
        const current = await job();
        if (current.etaSeconds) etas.push(current.etaSeconds);
        return current.state === 'completed' || current.state === 'failed' ? current : undefined;
      },
      'the job to finish on the second worker',
      90_000,
    );
    assert.equal(final.state, 'completed', JSON.stringify(final));
    assert.equal(final.attempts, 2, 'one interrupted attempt, one that finished');
    assert.ok(etas.length > 0 && etas.every((eta) => eta > 0), 'an ETA was shown while embedding');

    const documents = (await (await api('/collections/sta/documents')).json()).documents;
    assert.deepEqual(
      documents.map((d: { status: string; version: number }) => [d.status, d.version]),
      [['ready', 1]],
    );
    const { rows } = await sql(workerEnv.DATABASE_URL, documents[0].id);
    assert.equal(rows[0]!.total, rows[0]!.distinct_ordinals, 'no chunk stored twice');
    assert.equal(rows[0]!.total, rows[0]!.max_ordinal + 1, 'no chunk missing');
    assert.deepEqual(rows[0]!.versions, [1]);
  });
});

async function sql(databaseUrl: string, documentId: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query<{ total: number; distinct_ordinals: number; max_ordinal: number; versions: number[] }>(
      `SELECT count(*)::int AS total, count(DISTINCT ordinal)::int AS distinct_ordinals, max(ordinal) AS max_ordinal,
              array_agg(DISTINCT document_version) AS versions
         FROM chunks WHERE document_id = $1`,
      [documentId],
    );
  } finally {
    await client.end();
  }
}
