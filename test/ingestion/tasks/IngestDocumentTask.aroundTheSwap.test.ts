import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Database } from '../../../server/db/Database.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { startEmulator } from '../../support/emulator.ts';
import { silentLogger } from '../../support/testDatabase.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { postFiles } from '../../support/factories.ts';

const guide = `# Reset timing\n\n${Array.from({ length: 12 }, (_, i) => `## Check ${i}\n\nCheck ${i} covers recovery and removal timing on async reset deassertion paths.`).join('\n\n')}`;

async function upload(runtime: TestRuntime, collection: string): Promise<string> {
  const [job] = await postFiles(runtime, collection, { 'reset-timing.md': guide });
  return job!.id;
}

const jobState = (runtime: TestRuntime, id: string) =>
  runtime.services.db
    .query<{ state: string; stage: string; attempts: number }>('SELECT state, stage, attempts FROM ingestion_jobs WHERE id = $1', [id])
    .then((r) => r.rows[0]!);

describe('IngestDocumentTask: what happens around the swap', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('leaves a completed job completed when the process stops while its follow-up work is queued', async () => {
    // A collection without a language: its first document names it, and then queues reindexing
    // and sentence vectors after the swap, which the closing queue refuses.
    const runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'sta');
    const jobId = await upload(runtime, 'sta');
    await waitFor(async () => ((await jobState(runtime, jobId)).state === 'completed' ? true : undefined), 'the ingestion');
    await runtime.stop();
    cleanups.push(() => rm(runtime.dataDir, { recursive: true, force: true }));

    const persisted = await Database.open({ embeddedDir: path.join(runtime.dataDir, 'pg'), logger: silentLogger });
    cleanups.push(() => persisted.close());
    const { rows } = await persisted.query<{ state: string; stage: string; error: unknown }>(
      'SELECT state, stage, error FROM ingestion_jobs WHERE id = $1',
      [jobId],
    );
    assert.deepEqual(
      rows[0],
      { state: 'completed', stage: 'done', error: null },
      'not sent back to the queue, to be ingested again at the next start',
    );
  });

  it('embeds again when the collection switches embedding models while the document is embedded', async () => {
    const emulator = await startEmulator({ latencyMs: 150, embeddingDimension: 384 });
    cleanups.push(() => emulator.emulator.close());
    const runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      EMBEDDINGS_BASE_URL: emulator.url,
      EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      EMBEDDINGS_BATCH_SIZE: '1',
    });
    cleanups.push(() => runtime.dispose());
    const collectionId = await createOpenCollection(runtime, 'sta');
    const jobId = await upload(runtime, 'sta');
    await waitFor(async () => ((await jobState(runtime, jobId)).stage.startsWith('embedding') ? true : undefined), 'the embedding stage');

    // What ReembedCollectionTask's swap does, while this job still holds vectors of the old model.
    const hashing = new HashingEmbedder();
    await runtime.services.db.query('UPDATE collections SET embedding_model = $2, embedding_dimension = $3 WHERE id = $1', [
      collectionId,
      hashing.model,
      await hashing.dimension(),
    ]);

    await waitFor(async () => ((await jobState(runtime, jobId)).state === 'completed' ? true : undefined), 'the ingestion', 60_000);
    assert.ok((await jobState(runtime, jobId)).attempts >= 2, 'the first attempt gave up at the swap');
    const { rows } = await runtime.services.db.query<{ model: string }>(
      'SELECT DISTINCT embedding_model AS model FROM chunks WHERE collection_id = $1',
      [collectionId],
    );
    assert.deepEqual(
      rows.map((row) => row.model),
      [hashing.model],
      'only vectors the collection searches',
    );
    const everyone = { userId: null, email: null, role: 'member' as const };
    const hits = await runtime.services.chunks.nearest(everyone, await hashing.embedQuery('async reset recovery removal'), hashing.model);
    assert.ok(hits.length > 0, 'and they are found');
  });
});
