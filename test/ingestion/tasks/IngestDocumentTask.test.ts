import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { buildCollection } from '../../support/factories.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('IngestDocumentTask', () => {
  let runtime: TaskHarness;
  let collectionId: string;

  before(async () => {
    runtime = await startTaskHarness();
    collectionId = (await buildCollection(runtime.services, { slug: 'handbook', grants: { everyone: 'read' } })).id;
  });
  after(() => runtime?.dispose());

  /** Registers a file as an upload does and runs its task's handler; returns the intake result and the job row. */
  async function ingest(filename: string, content: string | Buffer) {
    const { result } = await runtime.ingest(collectionId, filename, content);
    if (result.outcome === 'unchanged') return { result, job: undefined };
    const { rows } = await runtime.services.db.query<{ state: string; error: { code: string } | null }>(
      'SELECT state, error FROM ingestion_jobs WHERE id = $1',
      [result.ingestionJobId],
    );
    return { result, job: rows[0]! };
  }

  const documentRow = async (id: string) =>
    (
      await runtime.services.db.query<{ version: number; status: string; error: { code: string } | null }>(
        'SELECT version, status, error FROM documents WHERE id = $1',
        [id],
      )
    ).rows[0]!;
  const chunkVersions = async (id: string) =>
    (
      await runtime.services.db.query<{ document_version: number }>('SELECT DISTINCT document_version FROM chunks WHERE document_id = $1', [
        id,
      ])
    ).rows.map((r) => r.document_version);

  const v1 = '# Clock gating\n\n## Rules\n\nEvery clock-gating cell has a test enable tied to scan_en.\n';
  const v2 = '# Clock gating\n\n## Rules\n\nEvery clock-gating cell has a test enable tied to test_mode since revision B.\n';

  it('makes a new file ready as version 1, searchable with its heading path', async () => {
    const { result, job } = await ingest('clock-gating.md', v1);
    assert.equal(result.outcome, 'added');
    assert.equal(job!.state, 'completed');
    assert.deepEqual(await documentRow(result.documentId), { version: 1, status: 'ready', error: null });
    const hits = await runtime.services.chunks.fullText(everyone, 'scan_en');
    assert.deepEqual(hits[0]!.headingPath, ['Clock gating', 'Rules']);
  });

  it('keeps version 1 when the same content arrives again', async () => {
    const { result } = await ingest('clock-gating.md', v1);
    assert.equal(result.outcome, 'unchanged');
    assert.equal((await documentRow(result.documentId)).version, 1);
  });

  it('swaps in version 2 for changed content and removes the old chunks', async () => {
    const { result } = await ingest('clock-gating.md', v2);
    assert.equal(result.outcome, 'updated');
    assert.equal((await documentRow(result.documentId)).version, 2);
    assert.deepEqual(await chunkVersions(result.documentId), [2]);
    assert.equal((await runtime.services.chunks.fullText(everyone, 'scan_en')).length, 0);
    assert.equal((await runtime.services.chunks.fullText(everyone, 'test_mode')).length, 1);
  });

  it('never shows readers a mix of versions, or nothing, while a new version swaps in', async () => {
    const paragraphs = (tag: string) =>
      Array.from({ length: 150 }, (_, i) => `Paragraph ${i} of revision ${tag} about retention flops.`).join('\n\n');
    const first = await ingest('retention.md', `# Retention\n\n${paragraphs('alpha')}`);
    const documentId = first.result.documentId;
    let reading = true;
    const observations: string[] = [];
    const reader = (async () => {
      while (reading) {
        const hits = await runtime.services.chunks.fullText(everyone, 'retention flops revision', { limit: 500 });
        const revisions = new Set(hits.filter((h) => h.documentId === documentId).map((h) => (/revision (\w+)/.exec(h.text) ?? [])[1]));
        observations.push([...revisions].sort().join('+') || 'none');
      }
    })();
    await ingest('retention.md', `# Retention\n\n${paragraphs('beta')}`);
    reading = false;
    await reader;
    assert.ok(observations.length > 3, `${observations.length} reads`);
    assert.deepEqual(
      [...new Set(observations)].filter((o) => o !== 'alpha' && o !== 'beta'),
      [],
    );
    assert.equal(observations.at(-1), 'beta');
  });

  it('fails a corrupt file at once with its code, leaving no chunks', async () => {
    const { result, job } = await ingest('broken.pdf', randomBytes(2048));
    assert.equal(job!.state, 'failed');
    assert.equal(job!.error!.code, 'corrupt_file');
    const document = await documentRow(result.documentId);
    assert.deepEqual([document.status, document.error!.code], ['failed', 'corrupt_file']);
    assert.deepEqual(await chunkVersions(result.documentId), []);
  });

  it('fails an empty file with empty_document', async () => {
    const { job } = await ingest('empty.txt', '');
    assert.equal(job!.error!.code, 'empty_document');
  });
});
