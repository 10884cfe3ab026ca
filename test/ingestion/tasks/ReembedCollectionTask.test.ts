import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { startEmulator } from '../../support/emulator.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { uploadAllAndWait } from '../../support/factories.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };
const nimModel = 'nvidia/llama-3.2-nv-embedqa-1b-v2';

describe('ReembedCollectionTask: a changed embedding model', () => {
  let first: TestRuntime;
  let second: TestRuntime | undefined;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;

  before(async () => {
    emulator = await startEmulator({ latencyMs: 150, embeddingDimension: 384 });
    first = await startTestRuntime({ SEED_DEMO: 'false' });
    await createOpenCollection(first, 'sta');
    const sections = Array.from(
      { length: 12 },
      (_, i) => `## Check ${i}\n\nCheck ${i} covers recovery and removal timing on async reset deassertion paths.`,
    );
    await uploadAllAndWait(first, 'sta', { 'reset-timing.md': `# Reset timing\n\n${sections.join('\n\n')}` });
    await first.stop();
  });
  after(async () => {
    await second?.dispose();
    await emulator?.emulator.close();
  });

  it('re-embeds in the background while the old vectors keep serving, then swaps and drops them', async () => {
    // The same data directory, restarted with an embedding service configured.
    second = await startTestRuntime({
      SEED_DEMO: 'false',
      DATA_DIR: first.dataDir,
      EMBEDDINGS_BASE_URL: emulator.url,
      EMBEDDINGS_MODEL: nimModel,
      EMBEDDINGS_BATCH_SIZE: '1',
    });
    const { services } = second;
    const collection = async () =>
      (
        await services.db.query<{ embedding_model: string; reembedding_model: string | null }>(
          `SELECT embedding_model, reembedding_model FROM collections WHERE slug = 'sta'`,
        )
      ).rows[0]!;
    assert.deepEqual(
      await collection(),
      { embedding_model: new HashingEmbedder().model, reembedding_model: nimModel },
      'marked at start-up',
    );

    const hashing = new HashingEmbedder();
    const oldVectorHits = await services.chunks.nearest(everyone, await hashing.embedQuery('async reset recovery removal'), hashing.model);
    assert.ok(oldVectorHits.length > 0, 'the CPU vectors still serve during the re-embedding');
    const collectionId = oldVectorHits[0]!.collectionId;
    const passages = await services.retriever.retrieve(everyone, 'async reset recovery removal', { collectionIds: [collectionId] });
    assert.ok(passages.length > 0, 'hybrid retrieval answers from the collection meanwhile');

    await waitFor(async () => ((await collection()).reembedding_model === null ? true : undefined), 'the swap', 60_000);
    assert.equal((await collection()).embedding_model, nimModel);
    const { rows } = await services.db.query<{ model: string; n: number }>(
      `SELECT embedding_model AS model, count(*)::int AS n FROM chunks GROUP BY 1`,
    );
    assert.deepEqual(
      rows.map((r) => r.model),
      [nimModel],
      'only the new vectors remain',
    );
    const newHits = await services.chunks.nearest(everyone, await services.embedder.embedQuery('async reset recovery removal'), nimModel);
    assert.equal(newHits.length, rows[0]!.n);
  });
});
