import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedDemoContent } from '../../../server/seed/seedDemoContent.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
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

    it('indexes every demo document until it is ready', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const counts = await waitFor(async () => {
        const { rows } = await runtime.services.db.query<{ status: string; count: string }>(
          `SELECT status, count(*) FROM documents GROUP BY status`,
        );
        const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
        return byStatus.ready === 20 ? byStatus : undefined;
      }, 'demo documents to be ready');
      assert.deepEqual(counts, { ready: 20 });
    });

    it('spreads the chip-design documents over Markdown, HTML, PDF and DOCX', async (t) => {
      if (skipOrFail(t, available, `Redis at ${redisUrl}`)) return;
      const { rows } = await runtime.services.db.query<{ mime_type: string; count: string }>(
        `SELECT d.mime_type, count(*) FROM documents d JOIN collections c ON c.id = d.collection_id
          WHERE c.slug = 'chip-design' GROUP BY d.mime_type ORDER BY d.mime_type`,
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
