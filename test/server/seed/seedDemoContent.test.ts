import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedDemoContent } from '../../../server/seed/seedDemoContent.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { startEmulator } from '../../support/emulator.ts';
import { redisAvailable, redisUrl, skipOrFail } from '../../support/requireService.ts';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

const anyEmployee: Principal = { userId: null, email: null, role: 'member' };

for (const mode of ['inline', 'redis'] as const) {
  describe(`demo seed through the ${mode} queue`, async () => {
    const available = mode === 'inline' || (await redisAvailable());
    let runtime: TestRuntime;

    before(async () => {
      if (!available) return;
      runtime = await startTestRuntime(mode === 'redis' ? { REDIS_URL: redisUrl, QUEUE_PREFIX: `tapeout-test-${randomUUID()}` } : {});
    });
    after(() => runtime?.dispose());

    it('indexes every demo document until it is ready, and the files of the demo Git repository', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const counts = await waitFor(async () => {
        const { rows } = await runtime.services.db.query<{ source: string; status: string; count: string }>(
          `SELECT source, status, count(*) FROM documents GROUP BY source, status`,
        );
        const bySourceAndStatus = Object.fromEntries(rows.map((row) => [`${row.source} ${row.status}`, Number(row.count)]));
        return bySourceAndStatus['seed ready'] === 20 && bySourceAndStatus['source ready'] === 9 ? bySourceAndStatus : undefined;
      }, 'demo documents to be ready');
      assert.deepEqual(counts, { 'seed ready': 20, 'source ready': 9 });
    });

    it('syncs the demo repository as a source of chip-design, cited with its path, lines and commit', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const [source] = await runtime.services.syncedSources.list(systemActor);
      assert.equal(source?.name, 'orion-rtl');
      assert.equal(source.collectionSlug, 'chip-design');
      assert.equal(source.lastRun?.status, 'succeeded');
      assert.equal(source.lastRun?.added, 9);
      const prepared = await runtime.services.answerer.prepare(anyEmployee, {
        assistant: 'chip-design-helper',
        messages: [{ role: 'user', content: 'When does pll_lock_err rise?' }],
      });
      const cited = ('citations' in prepared ? prepared.citations : []).find((c) => c.origin?.path === 'rtl/pll_ctrl.sv');
      assert.ok(cited, 'the RTL file is cited');
      assert.deepEqual(cited.headingPath, ['rtl/pll_ctrl.sv', 'module pll_ctrl']);
      assert.match(cited.origin!.commit!, /^[0-9a-f]{40}$/);
      assert.ok(cited.lines && cited.lines.start >= 1 && cited.lines.end >= cited.lines.start);
      const sdc = await runtime.services.chunks.fullText(anyEmployee, 'u_core/u_alu/mul_q');
      assert.ok(
        sdc.some((hit) => hit.headingPath[0] === 'constraints/orion_top.sdc'),
        'a hierarchical path is found exactly',
      );
    });

    it('spreads the chip-design documents over Markdown, HTML, PDF and DOCX', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const { rows } = await runtime.services.db.query<{ mime_type: string; count: string }>(
        `SELECT d.mime_type, count(*) FROM documents d JOIN collections c ON c.id = d.collection_id
          WHERE c.slug = 'chip-design' AND d.source = 'seed' GROUP BY d.mime_type ORDER BY d.mime_type`,
      );
      const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
      assert.ok(total >= 12, `${total} chip-design documents`);
      assert.deepEqual(
        rows.map((row) => row.mime_type),
        ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/html', 'text/markdown'],
      );
    });

    it('writes real files of each format under DATA_DIR/sample-corpus', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const dir = path.join(runtime.dataDir, 'sample-corpus', 'chip-design');
      assert.equal((await readFile(path.join(dir, 'dft-scan-insertion.pdf'))).subarray(0, 5).toString(), '%PDF-');
      assert.equal((await readFile(path.join(dir, 'tapeout-checklist.docx'))).subarray(0, 2).toString(), 'PK');
      assert.match(await readFile(path.join(dir, 'timing-closure-sta.html'), 'utf8'), /<h2>Timing exceptions<\/h2>/);
      assert.match(await readFile(path.join(dir, 'rtl-coding-guidelines.md'), 'utf8'), /^# RTL Coding Guidelines/);
    });

    it('makes the content searchable by every employee, with headings and pages', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      // Two passages name the register field: the naming rule and the register tests.
      const hits = await runtime.services.chunks.fullText(anyEmployee, 'STREAM_MCAST_DEST');
      assert.deepEqual(
        hits
          .slice(0, 2)
          .map((hit) => hit.headingPath.join(' / '))
          .sort(),
        ['RTL Coding Guidelines / Naming', 'Verification Flow / Testbench architecture'],
      );
      const pdfHits = await runtime.services.chunks.fullText(anyEmployee, 'scan_en dedicated buffer tree');
      assert.equal(pdfHits[0]?.page, 1);
      // A PDF's text layer has no headings; its chunks carry the document title instead.
      const nearest = await runtime.services.chunks.nearest(
        anyEmployee,
        await runtime.services.embedder.embedQuery('isolation clamp value UPF'),
        runtime.services.embedder.model,
      );
      assert.deepEqual(nearest[0]!.headingPath, ['Low-Power Design with UPF']);
      const docx = await runtime.services.chunks.fullText(anyEmployee, 'equivalence checking between the old netlist plus patch');
      assert.deepEqual(docx[0]!.headingPath, ['Engineering Change Order (ECO) Process', 'Functional ECO flow']);
    });

    it('seeds nothing twice', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      assert.equal(await seedDemoContent(runtime.services), false);
      const { rows } = await runtime.services.db.query<{ count: string }>('SELECT count(*) FROM assistants');
      assert.equal(rows[0]!.count, '3');
    });
  });
}

describe('demo seed while the embedding service is still loading its model', () => {
  it('starts anyway and seeds once the service is ready', async () => {
    const { emulator, url } = await startEmulator({ warmupMs: 60_000 });
    const runtime = await startTestRuntime(
      { EMBEDDINGS_BASE_URL: url, EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2', INFERENCE_TIMEOUT_MS: '500' },
      200,
    );
    try {
      assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);
      assert.deepEqual(await runtime.services.assistants.list(anyEmployee), []);
      await fetch(url.replace('/v1', '/emulator/ready'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"ready":true}',
      });
      const assistants = await waitFor(async () => {
        const list = await runtime.services.assistants.list(anyEmployee);
        return list.length === 3 ? list : undefined;
      }, 'the seed to be retried');
      assert.equal(assistants.length, 3);
      const { rows } = await runtime.services.db.query<{ embedding_dimension: number }>(
        `SELECT embedding_dimension FROM collections LIMIT 1`,
      );
      assert.equal(rows[0]!.embedding_dimension, 1024);
    } finally {
      await runtime.dispose();
      await emulator.close();
    }
  });
});
