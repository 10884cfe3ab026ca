import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importJsonl } from '../../../ingestion/intake/importJsonl.ts';
import { createOpenCollection, startTestServices, waitFor, type TestServices } from '../../support/testRuntime.ts';

describe('importJsonl (BEIR corpus format)', () => {
  let runtime: TestServices;
  let corpus: string;

  before(async () => {
    runtime = await startTestServices({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'beir');
    corpus = path.join(runtime.dataDir, 'corpus.jsonl');
    await writeFile(
      corpus,
      [
        JSON.stringify({
          _id: '<dbpedia:Clock_gating>',
          title: 'Clock gating',
          text: 'Clock gating removes the clock from idle registers to save dynamic power.',
        }),
        'this line is not JSON',
        JSON.stringify({ _id: 42, title: '', text: 'A record with a numeric id and no title about scan chains.' }),
        JSON.stringify({ title: 'No id', text: 'Dropped.' }),
        '',
      ].join('\n'),
    );
  });
  after(() => runtime?.dispose());

  const finishAll = (jobIds: string[]) =>
    waitFor(async () => {
      const states = await Promise.all(jobIds.map(async (id) => (await runtime.services.documents.findJob(id)).state));
      return states.every((s) => s === 'completed') ? true : undefined;
    }, 'import jobs');

  it('imports valid records with their _id as external id, and reports bad lines by number', async () => {
    const summary = await importJsonl(runtime.services, 'beir', corpus);
    assert.deepEqual([summary.added, summary.unchanged], [2, 0]);
    assert.deepEqual(
      summary.invalid.map((i) => i.line),
      [2, 4],
    );
    await finishAll(summary.jobIds);
    const { rows } = await runtime.services.db.query<{ external_id: string; status: string; title: string }>(
      `SELECT external_id, status, title FROM documents ORDER BY external_id`,
    );
    assert.deepEqual(rows, [
      { external_id: '42', status: 'ready', title: '42' },
      { external_id: '<dbpedia:Clock_gating>', status: 'ready', title: 'Clock gating' },
    ]);
    const hits = await runtime.services.chunks.fullText({ userId: null, email: null, role: 'member' }, 'dynamic power idle registers');
    assert.equal(hits.length, 1);
  });

  it('leaves everything unchanged on a second import', async () => {
    const summary = await importJsonl(runtime.services, 'beir', corpus);
    assert.deepEqual([summary.added, summary.updated, summary.unchanged, summary.jobIds.length], [0, 0, 2, 0]);
  });

  it('names a missing collection', async () => {
    await assert.rejects(importJsonl(runtime.services, 'nope', corpus), /Collection "nope" was not found/);
  });
});
