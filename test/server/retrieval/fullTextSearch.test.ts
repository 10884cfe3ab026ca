import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('full-text search on engineering text (BM25 over the real ingestion path)', () => {
  let runtime: TestRuntime;
  const titles = new Map<string, string>();

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'rtl');
    const form = new FormData();
    const files = {
      'gating.md': '# Divider gating\n\nGate the divider output with clk_div_en before the glitch-free clock mux.\n',
      'enables.md': '# Clock enables\n\nThe clk tree has a div stage; en signals are registered. Clock enables are not clocks.\n',
      'alu.md': '# ALU timing\n\nThe worst path ends at u_core/u_alu/add_q and the STREAM_MCAST_DEST register is multicycle on the core clock.\n',
      'retention.md': '# Retention flops\n\nSave and restore sequences keep state through power-down.\n',
    };
    for (const [name, text] of Object.entries(files)) form.append('files', new Blob([text]), name);
    const { jobs } = await (await fetch(`${runtime.url}/api/collections/rtl/documents`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}` }, body: form })).json();
    for (const job of jobs) {
      titles.set(job.documentId, job.filename);
      await waitFor(async () => ((await runtime.services.documents.findJob(job.id)).state === 'completed' ? true : undefined), job.filename);
    }
  });
  after(() => runtime?.dispose());

  const search = async (query: string) => (await runtime.services.chunks.fullText(everyone, query)).map((hit) => titles.get(hit.documentId));

  it('finds an identifier exactly, ahead of passages that only share its parts', async () => {
    assert.deepEqual((await search('where is clk_div_en used'))[0], 'gating.md');
    assert.deepEqual(await search('STREAM_MCAST_DEST'), ['alu.md']);
  });

  it('matches the parts of a hierarchical name, and the words inside an identifier', async () => {
    assert.deepEqual(await search('add_q'), ['alu.md']);
    assert.deepEqual(await search('u_alu'), ['alu.md']);
    assert.ok((await search('divider clk')).includes('enables.md'), 'plain parts still match through the parser');
  });

  it('searches headings as well as text, and ranks rare words above common ones', async () => {
    assert.deepEqual(await search('retention'), ['retention.md']);
    assert.deepEqual((await search('clock retention'))[0], 'retention.md', 'one rare word outweighs one common word');
  });

  it('answers queries that are only punctuation or quotes without an SQL error', async () => {
    assert.deepEqual(await search(`'); DROP TABLE chunks; --`), []);
    assert.deepEqual(await search(`O'Brien's "clk_div_en" | & !`).then((hits) => hits[0]), 'gating.md');
  });
});
