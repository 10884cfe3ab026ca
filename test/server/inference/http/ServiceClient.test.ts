import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InferenceError } from '../../../../server/inference/http/InferenceError.ts';
import type { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';
import { deadUrl, serviceClient, startEmulator } from '../../../support/emulator.ts';

const model = 'nvidia/llama-3.2-nv-embedqa-1b-v2';
const embedRequest = { model, input: ['x'], input_type: 'query', encoding_format: 'float', truncate: 'END' };

describe('ServiceClient: replicas, breakers, retries, timeouts', () => {
  let a: NimEmulator;
  let b: NimEmulator;
  let urlA: string;
  let urlB: string;

  before(async () => {
    ({ emulator: a, url: urlA } = await startEmulator({ latencyMs: 30 }));
    ({ emulator: b, url: urlB } = await startEmulator({ latencyMs: 30 }));
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('balances concurrent requests over replicas by outstanding requests', async () => {
    const client = serviceClient('embeddings', [urlA, urlB], model);
    const [beforeA, beforeB] = [a.stats.requests.embeddings, b.stats.requests.embeddings];
    await Promise.all(Array.from({ length: 10 }, () => client.json('/embeddings', embedRequest, { idempotent: true })));
    assert.equal(a.stats.requests.embeddings - beforeA, 5);
    assert.equal(b.stats.requests.embeddings - beforeB, 5);
  });

  it('ejects an unreachable replica and keeps serving from the others', async () => {
    const client = serviceClient('embeddings', [deadUrl, urlA], model);
    for (let i = 0; i < 6; i++) await client.json('/embeddings', embedRequest, { idempotent: true });
    assert.deepEqual(
      client.pool.states().map((replica) => [replica.url, replica.state]),
      [
        [deadUrl, 'open'],
        [urlA, 'closed'],
      ],
    );
  });

  it('tries an ejected replica again after the half-open delay', async () => {
    const client = serviceClient('embeddings', [urlA], model, { maxAttempts: 1 });
    a.injectFaults([{ kind: 'http-error', endpoint: 'embeddings', status: 503, times: 2 }]);
    for (let i = 0; i < 2; i++) await assert.rejects(client.json('/embeddings', embedRequest, { idempotent: true }));
    assert.equal(client.pool.available(), false);
    await assert.rejects(client.json('/embeddings', embedRequest, { idempotent: true }), /every replica is failing/);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await client.json('/embeddings', embedRequest, { idempotent: true });
    assert.equal(client.pool.states()[0]!.state, 'closed');
  });

  it('gives up after its attempts with the last error', async () => {
    const client = serviceClient('embeddings', [urlA], model, { failureThreshold: 10 });
    a.injectFaults([{ kind: 'http-error', endpoint: 'embeddings', status: 502, shape: 'openai' }]);
    try {
      await assert.rejects(client.json('/embeddings', embedRequest, { idempotent: true }), (error: InferenceError) => error.status === 502);
    } finally {
      a.injectFaults([]);
    }
  });

  it('does not retry a call that is not idempotent', async () => {
    const client = serviceClient('embeddings', [urlA], model);
    const before = a.stats.requests.embeddings;
    a.injectFaults([{ kind: 'http-error', endpoint: 'embeddings', status: 503, times: 1 }]);
    await assert.rejects(client.json('/embeddings', embedRequest, { idempotent: false }));
    assert.equal(a.stats.requests.embeddings - before, 1);
  });

  it('times out a hanging request and retries it', async () => {
    const client = serviceClient('embeddings', [urlA], model, { timeoutMs: 200, failureThreshold: 10 });
    a.injectFaults([{ kind: 'timeout', endpoint: 'embeddings', delayMs: 5_000, times: 1 }]);
    const started = Date.now();
    await client.json('/embeddings', embedRequest, { idempotent: true });
    assert.ok(Date.now() - started < 2_000);
  });

  it('reports a timeout as such when attempts run out', async () => {
    const client = serviceClient('embeddings', [urlA], model, { timeoutMs: 150, maxAttempts: 1 });
    a.injectFaults([{ kind: 'timeout', endpoint: 'embeddings', delayMs: 5_000, times: 1 }]);
    await assert.rejects(
      client.json('/embeddings', embedRequest, { idempotent: true }),
      (error: InferenceError) => error.code === 'timeout',
    );
  });

  it("passes a caller's cancellation through without retrying or ejecting", async () => {
    const client = serviceClient('embeddings', [urlA], model, { failureThreshold: 1 });
    a.injectFaults([{ kind: 'timeout', endpoint: 'embeddings', delayMs: 5_000, times: 1 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    await assert.rejects(client.json('/embeddings', embedRequest, { idempotent: true, signal: controller.signal }), /user pressed stop/);
    assert.equal(client.pool.states()[0]!.state, 'closed');
  });
});
