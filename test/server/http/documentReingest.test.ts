import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { failJob, loadIngestionJob } from '../../../server/corpus/ingestionJobs.ts';
import { registerDocument } from '../../../server/corpus/registerDocument.ts';
import { zipBombDocx } from '../../support/officeFixtures.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

describe('documents: retry and re-ingest from the stored file', () => {
  let runtime: TestRuntime;
  let collectionId: string;
  const headers = () => ({ authorization: `Bearer ${runtime.apiKey}` });
  const reingest = (id: string) => fetch(`${runtime.url}/api/documents/${id}/reingest`, { method: 'POST', headers: headers() });
  const documents = async () =>
    (await (await fetch(`${runtime.url}/api/collections/notes/documents`, { headers: headers() })).json()).documents as {
      id: string;
      filename: string;
      status: string;
      version: number;
      chunks: number;
      error: { code: string } | null;
    }[];
  const upload = async (name: string, content: string | Uint8Array) => {
    const form = new FormData();
    form.append('files', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    return (await fetch(`${runtime.url}/api/collections/notes/documents`, { method: 'POST', headers: headers(), body: form })).json();
  };
  const settled = (filename: string) =>
    waitFor(async () => {
      const found = (await documents()).find((d) => d.filename === filename);
      return found && (found.status === 'ready' || found.status === 'failed') ? found : undefined;
    }, filename);

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    collectionId = await createOpenCollection(runtime, 'notes');
  });
  after(() => runtime?.dispose());

  it("re-ingests a ready document with the collection's new chunking as version 2", async () => {
    const text = `# Notes\n\n${Array.from({ length: 40 }, (_, i) => `Sentence ${i} about the floorplan and its power grid straps.`).join(' ')}\n`;
    await upload('plan.md', text);
    const v1 = await settled('plan.md');
    await runtime.services.collections.update(systemActor, collectionId, { chunkSize: 64, chunkOverlap: 8 });
    const answer = await reingest(v1.id);
    assert.equal(answer.status, 202);
    const v2 = await waitFor(
      async () => (await documents()).find((d) => d.filename === 'plan.md' && d.version === 2 && d.status === 'ready'),
      'version 2',
    );
    assert.ok(v2.chunks > v1.chunks, `smaller chunks, more of them (${v1.chunks} → ${v2.chunks})`);
  });

  it('refuses a second re-ingestion while one is queued or running', async () => {
    const plan = (await documents()).find((d) => d.filename === 'plan.md')!;
    const [first, second] = await Promise.all([reingest(plan.id), reingest(plan.id)]);
    assert.deepEqual([first.status, second.status].sort(), [202, 409]);
    await waitFor(async () => ((await documents()).find((d) => d.filename === 'plan.md')!.version === 3 ? true : undefined), 'version 3');
  });

  it('cannot retry a file that was bad in itself: it was not kept, and the reason says what to do', async () => {
    await upload('broken.docx', await zipBombDocx());
    const broken = await settled('broken.docx');
    assert.equal(broken.status, 'failed');
    const answer = await reingest(broken.id);
    const body = await answer.json();
    assert.equal(answer.status, 409);
    assert.match(body.error.message, /not kept.*Upload a corrected file/);
  });

  it('retries a document whose ingestion gave up for a cause outside the file, from the kept file', async () => {
    // As IngestDocumentTask leaves a document after its last attempt failed (an embedding service that stayed down).
    const dir = path.join(runtime.dataDir, 'files', collectionId);
    await mkdir(dir, { recursive: true });
    const storagePath = path.join(dir, 'outage.md');
    await writeFile(storagePath, '# Outage\n\nThe embedding service was down when this file came in.\n');
    const registered = await runtime.services.db.transaction((client) =>
      registerDocument(client, {
        collectionId,
        filename: 'outage.md',
        source: 'upload',
        storagePath,
        contentHash: 'outage-hash',
        byteSize: 60,
      }),
    );
    assert.ok(registered.outcome === 'added');
    const job = (await loadIngestionJob(runtime.services.db, registered.ingestionJobId))!;
    await failJob(runtime.services.db, job, { code: 'ingestion_failed', message: 'embedding service unavailable' }, { keepFile: true });
    assert.equal((await documents()).find((d) => d.filename === 'outage.md')!.status, 'failed');
    assert.ok(existsSync(storagePath), 'the file is kept');
    assert.equal((await reingest(registered.documentId)).status, 202);
    const retried = await settled('outage.md');
    assert.deepEqual([retried.status, retried.error, retried.version], ['ready', null, 1]);
  });

  it('answers 404 for an unknown document', async () => {
    assert.equal((await reingest('00000000-0000-0000-0000-000000000000')).status, 404);
  });
});
