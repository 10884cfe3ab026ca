import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NimReranker } from '../../../../server/inference/reranking/NimReranker.ts';
import { NoopReranker } from '../../../../server/inference/reranking/Reranker.ts';
import type { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';
import { serviceClient, startEmulator } from '../../../support/emulator.ts';

describe('NimReranker against the NIM emulator', () => {
  let emulator: NimEmulator;
  let reranker: NimReranker;
  const passages = [
    'Clock gating saves power.',
    'The scan enable drives every scan flop.',
    'Reset is asynchronous.',
    'scan chains and scan enable timing',
  ];

  before(async () => {
    let url: string;
    ({ emulator, url } = await startEmulator());
    reranker = new NimReranker(serviceClient('reranker', [url], 'nvidia/llama-3.2-nv-rerankqa-1b-v2'));
  });
  after(() => emulator.close());

  it('orders passages by relevance with 0-1 scores and indexes into the input', async () => {
    const ranked = await reranker.rank('scan enable', passages);
    assert.deepEqual(
      ranked
        .map((r) => r.index)
        .slice(0, 2)
        .sort(),
      [1, 3],
    );
    for (const { score } of ranked) assert.ok(score !== null && score > 0 && score < 1);
    assert.ok(ranked[0]!.score! >= ranked[1]!.score! && ranked[1]!.score! >= ranked[3]!.score!);
  });

  it('cuts to top-k on the client side', async () => {
    assert.equal((await reranker.rank('scan enable', passages, { topK: 2 })).length, 2);
  });

  it('the no-op reranker keeps the given order without inventing scores', async () => {
    assert.deepEqual(await new NoopReranker().rank('q', ['a', 'b', 'c'], { topK: 2 }), [
      { index: 0, score: null },
      { index: 1, score: null },
    ]);
  });
});
