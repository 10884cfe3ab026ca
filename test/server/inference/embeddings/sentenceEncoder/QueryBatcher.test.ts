import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { QueryBatcher } from '../../../../../server/inference/embeddings/sentenceEncoder/QueryBatcher.ts';
import { SentenceEncoderEmbedder } from '../../../../../server/inference/embeddings/sentenceEncoder/SentenceEncoderEmbedder.ts';

describe('QueryBatcher', () => {
  it('runs a lone question at once, and questions arriving meanwhile as one batch, each getting its own vector', async () => {
    const batches: string[][] = [];
    const batcher = new QueryBatcher(async (texts) => {
      batches.push(texts);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return texts.map((text) => Float32Array.from([text.length]));
    });
    const first = batcher.embed('a');
    const rest = ['bb', 'ccc', 'dddd'].map((text) => batcher.embed(text));
    const vectors = await Promise.all([first, ...rest]);
    assert.deepEqual(batches, [['a'], ['bb', 'ccc', 'dddd']]);
    assert.deepEqual(
      vectors.map((vector) => vector[0]),
      [1, 2, 3, 4],
    );
  });

  it('fails the batch that failed only, and drops a waiting question whose asker gave up', async () => {
    let calls = 0;
    const batcher = new QueryBatcher(async (texts) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (texts.includes('bad')) throw new Error('encoder failed');
      return texts.map(() => Float32Array.from([1]));
    });
    const busy = batcher.embed('first');
    const controller = new AbortController();
    const abandoned = batcher.embed('gone', controller.signal);
    const failing = batcher.embed('bad');
    controller.abort(new Error('asker left'));
    await assert.rejects(abandoned, /asker left/);
    await assert.rejects(failing, /encoder failed/);
    assert.equal((await busy)[0], 1);
    assert.equal((await batcher.embed('after')).length, 1);
    assert.equal(calls, 3);
  });
});

describe('SentenceEncoderEmbedder queries', () => {
  const encoder = new SentenceEncoderEmbedder();
  after(() => encoder.close());

  it('gives the same vector to a question asked alone or within a burst', async () => {
    const alone = await encoder.embedQuery('How is hold fixed after clock tree synthesis?');
    const burst = await Promise.all(
      ['What is LVS?', 'How is hold fixed after clock tree synthesis?', 'Who signs off DRC?'].map((q) => encoder.embedQuery(q)),
    );
    const cosine = alone.reduce((sum, value, i) => sum + value * burst[1]![i]!, 0);
    assert.ok(cosine > 0.9999, `cosine ${cosine}`);
    assert.ok(burst[0]!.reduce((sum, value, i) => sum + value * alone[i]!, 0) < 0.9, 'different questions keep different vectors');
  });
});
