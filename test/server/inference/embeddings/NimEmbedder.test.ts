import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NimEmbedder } from '../../../../server/inference/embeddings/NimEmbedder.ts';
import type { InferenceError } from '../../../../server/inference/http/InferenceError.ts';
import type { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';
import { serviceClient, startEmulator } from '../../../support/emulator.ts';

const model = 'nvidia/llama-3.2-nv-embedqa-1b-v2';

describe('NimEmbedder against the NIM emulator', () => {
  let emulator: NimEmulator;
  let url: string;
  const embedder = (options: { dimensions?: number; batchSize?: number } = {}) =>
    new NimEmbedder(serviceClient('embeddings', [url], model), { dimensions: options.dimensions, batchSize: options.batchSize ?? 32 });

  before(async () => ({ emulator, url } = await startEmulator({ maxBatchSize: 4, maxInputTokens: 64 })));
  after(() => emulator.close());

  it('sends input_type, so NIM accepts queries and passages', async () => {
    const subject = embedder();
    const [passage] = await subject.embedPassages(['The scan enable is a dedicated top-level signal.']);
    const query = await subject.embedQuery('The scan enable is a dedicated top-level signal.');
    assert.equal(passage!.length, 1024);
    assert.deepEqual(query, passage, 'the emulator embeds both sides alike');
    assert.equal(await subject.dimension(), 1024);
  });

  it('splits large inputs into batches the service accepts, keeping the order', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `passage number ${i} about timing closure`);
    const before = emulator.stats.requests.embeddings;
    const vectors = await embedder({ batchSize: 4 }).embedPassages(texts);
    assert.equal(emulator.stats.requests.embeddings - before, 3);
    const single = await embedder().embedPassages([texts[7]!]);
    assert.deepEqual(vectors[7], single[0]);
  });

  it('asks the service to truncate oversize input instead of failing', async () => {
    const vectors = await embedder().embedPassages(['word '.repeat(500)]);
    assert.equal(vectors.length, 1);
  });

  it('requests a smaller dimension from models with dynamic dimensions', async () => {
    const subject = embedder({ dimensions: 256 });
    assert.equal((await subject.embedQuery('reset synchronizer')).length, 256);
    assert.equal(await subject.dimension(), 256);
  });

  it("reports the service's own message for a request it rejects", async () => {
    const subject = embedder({ batchSize: 8 });
    await assert.rejects(
      subject.embedPassages(Array.from({ length: 8 }, (_, i) => `text ${i}`)),
      (error: InferenceError) => error.status === 400 && /Batch size 8 exceeds the maximum of 4/.test(error.message) && !error.retryable,
    );
  });

  it('retries a transient failure and succeeds', async () => {
    emulator.injectFaults([{ kind: 'http-error', endpoint: 'embeddings', status: 503, times: 1 }]);
    const vectors = await embedder().embedPassages(['clock gating']);
    assert.equal(vectors.length, 1);
  });
});
