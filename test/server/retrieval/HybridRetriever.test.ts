import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { startEmulator } from '../../support/emulator.ts';
import { ingestAndWait } from '../../support/factories.ts';
import { createOpenCollection, startTestServices, type TestServices } from '../../support/testRuntime.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('HybridRetriever with a reranker', () => {
  let runtime: TestServices;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let collectionId: string;

  before(async () => {
    emulator = await startEmulator();
    runtime = await startTestServices({
      SEED_DEMO: 'false',
      RERANKER_BASE_URL: emulator.url,
      RERANKER_MODEL: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
    });
    collectionId = await createOpenCollection(runtime, 'sta');
    await ingestAndWait(runtime, 'sta', {
      'timing.md':
        '# Hold\n\nHold violations are fixed with delay cells after CTS.\n\n## Setup\n\nSetup violations need faster cells or useful skew.\n',
    });
  });
  after(async () => {
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it("keeps the reranker's order and scores, and drops passages under the score threshold", async () => {
    const question = 'how are hold violations fixed';
    const all = await runtime.services.retriever.retrieve(everyone, question, { collectionIds: [collectionId] });
    assert.ok(all.length >= 2);
    assert.ok(
      all.every((passage, i) => passage.relevance > 0 && passage.relevance < 1 && (i === 0 || all[i - 1]!.relevance >= passage.relevance)),
    );
    const best = all[0]!.relevance;
    const kept = await runtime.services.retriever.retrieve(everyone, question, { collectionIds: [collectionId], scoreThreshold: best });
    assert.deepEqual(
      kept.map((p) => p.id),
      all.filter((p) => p.relevance >= best).map((p) => p.id),
    );
    assert.deepEqual(
      await runtime.services.retriever.retrieve(everyone, question, {
        collectionIds: [collectionId],
        scoreThreshold: Math.min(1, best + 1e-9),
      }),
      [],
    );
  });
});
