import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startEmulator } from '../support/emulator.ts';
import { startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';
import { testAdminKey, waitFor } from '../support/testRuntime.ts';
import { postFiles } from '../support/factories.ts';

/**
 * `tapeout start` with everything embedded, killed with SIGKILL in the middle of an ingestion
 * (no chance to drain or release anything), then started again at once, as a supervisor or a
 * person pressing the up arrow would: it must serve within 30 s and finish the job, with each
 * chunk stored once.
 */
describe('a server killed (SIGKILL) during ingestion, started again at once', () => {
  let dataDir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const processes: TapeoutProcess[] = [];
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-killed-server-'));
    // Slow embeddings make the embedding stage last seconds, long enough to kill the server in it.
    emulator = await startEmulator({ latencyMs: 200 });
    env = {
      DATA_DIR: dataDir,
      EMBEDDINGS_BASE_URL: emulator.url,
      EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      EMBEDDINGS_BATCH_SIZE: '16',
      ADMIN_API_KEY: testAdminKey,
      SEED_DEMO: 'false',
    };
  });
  after(async () => {
    for (const { child } of processes) child.kill('SIGKILL');
    await emulator?.emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves again within 30 s and finishes the interrupted job, each chunk stored once', async (t) => {
    const first = await startTapeoutProcess(env);
    processes.push(first);
    const api = (url: string, route: string, init: RequestInit = {}) =>
      fetch(`${url}/api${route}`, { ...init, headers: { authorization: `Bearer ${testAdminKey}`, ...init.headers } });
    await api(first.url, '/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'sta', name: 'STA', chunkSize: 64, chunkOverlap: 8 }),
    });
    const sections = Array.from(
      { length: 150 },
      (_, i) => `## Path group ${i}\n\nPath group ${i} closes setup at the slow corner after useful skew on launch flop u_core/r${i}.`,
    );
    const jobId = (
      await postFiles({ url: first.url, apiKey: testAdminKey }, 'sta', {
        'paths.md': `# Timing paths\n\n${sections.join('\n\n')}`,
      })
    )[0]!.id;
    await waitFor(
      async () => ((await (await api(first.url, `/jobs/${jobId}`)).json()).stage.startsWith('embedding') ? true : undefined),
      'the embedding stage',
      60_000,
    );

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const restartedAt = Date.now();
    const second = await startTapeoutProcess(env, 30_000);
    processes.push(second);
    const healthy = await fetch(`${second.url}/healthz`);
    assert.equal(healthy.status, 200);
    t.diagnostic(`serving again ${Date.now() - restartedAt} ms after the kill`);

    const final = await waitFor(
      async () => {
        const job = await (await api(second.url, `/jobs/${jobId}`)).json();
        return job.state === 'completed' || job.state === 'failed' ? job : undefined;
      },
      'the interrupted job to finish after the restart',
      90_000,
    );
    assert.equal(final.state, 'completed', JSON.stringify(final));
    t.diagnostic(`the job completed ${Date.now() - restartedAt} ms after the kill`);
    const documents = (await (await api(second.url, '/collections/sta/documents')).json()).documents;
    assert.deepEqual(
      documents.map((d: { status: string; version: number }) => [d.status, d.version]),
      [['ready', 1]],
    );

    // Counted through the restarted server's own database process, over its socket.
    const client = new pg.Client({ connectionString: `postgresql://postgres@localhost/postgres?host=${path.join(dataDir, 'pg')}` });
    await client.connect();
    try {
      const { rows } = await client.query<{ total: number; distinct_ordinals: number; max_ordinal: number }>(
        'SELECT count(*)::int AS total, count(DISTINCT ordinal)::int AS distinct_ordinals, max(ordinal) AS max_ordinal FROM chunks WHERE document_id = $1',
        [documents[0].id],
      );
      assert.equal(rows[0]!.total, rows[0]!.distinct_ordinals, 'no chunk stored twice');
      assert.equal(rows[0]!.total, rows[0]!.max_ordinal + 1, 'no chunk missing');
    } finally {
      await client.end();
    }
    assert.equal(await second.stop(), 0);
  });
});
