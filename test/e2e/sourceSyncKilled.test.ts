import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';
import { TestGitRepository } from '../support/testGitRepository.ts';
import { waitFor } from '../support/waitFor.ts';

const adminKey = 'tap_e2e_sources_key_0123456789abcdef';
const files = 200;

describe('a sync killed half-way', () => {
  let root: string;
  let server: TapeoutProcess | undefined;
  let env: Record<string, string>;

  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${server!.url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.status === 204 ? undefined : response.json();
  };
  const documentsOf = async (collection: string) =>
    ((await call('GET', `/collections/${collection}/documents`)).documents as { filename: string; status: string }[])
      .map((d) => d.filename)
      .sort();

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tapeout-killed-sync-'));
    const repo = await TestGitRepository.init(path.join(root, 'repos', 'notes'));
    for (let i = 0; i < files; i++) {
      await repo.write(
        `notes/note-${String(i).padStart(3, '0')}.md`,
        `# Note ${i}\n\nDesign note ${i}: the block_${i} timing budget is ${i * 3} ps.\n`,
      );
    }
    repo.commit('notes');
    env = {
      DATA_DIR: path.join(root, 'data'),
      ADMIN_API_KEY: adminKey,
      SEED_DEMO: 'false',
      SENTENCE_ENCODER: 'off',
      CONNECTOR_LOCAL_ROOTS: path.join(root, 'repos'),
    };
    server = await startTapeoutProcess(env);
    for (const slug of ['killed', 'whole']) await call('POST', '/collections', { slug, name: slug });
  });
  after(async () => {
    server?.child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('resumes after a restart and ends with the documents of an uninterrupted sync, without duplicates', async () => {
    const url = `file://${path.join(root, 'repos', 'notes')}`;
    const { source } = await call('POST', '/sources', { kind: 'git', collection: 'killed', name: 'notes', url, schedule: null });
    // Killed once some items are stored and most are not.
    await waitFor(
      async () => {
        const { lastRun } = await call('GET', `/sources/${source.id}`);
        return lastRun.counts.added >= 20 && lastRun.counts.added < files - 40 ? true : undefined;
      },
      'a sync half-way',
      60_000,
    );
    server!.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));

    // The killed server's database process notices its parent is gone and exits a moment later.
    server = await waitFor(
      () =>
        startTapeoutProcess(env).catch((error: Error) =>
          /in use by another Tapeout process/.test(error.message) ? undefined : Promise.reject(error),
        ),
      'the restarted server',
      90_000,
    );
    const resumed = await waitFor(
      async () => {
        const { lastRun } = await call('GET', `/sources/${source.id}`);
        return lastRun.status === 'succeeded' || lastRun.status === 'failed' ? lastRun : undefined;
      },
      'the resumed sync',
      120_000,
    );
    assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.error));

    const { source: whole } = await call('POST', '/sources', { kind: 'git', collection: 'whole', name: 'notes', url, schedule: null });
    await waitFor(
      async () => ((await call('GET', `/sources/${whole.id}`)).lastRun.status === 'succeeded' ? true : undefined),
      'the whole sync',
      120_000,
    );

    const [killed, uninterrupted] = [await documentsOf('killed'), await documentsOf('whole')];
    assert.equal(killed.length, files, 'one document per file, none twice');
    assert.deepEqual(killed, uninterrupted);
    assert.equal((await call('GET', `/sources/${source.id}`)).items, files);
  });
});
