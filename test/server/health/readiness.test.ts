import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../server/config/index.ts';
import type { Database } from '../../../server/db/Database.ts';
import { checkReadiness } from '../../../server/health/readiness.ts';
import { createInference } from '../../../server/inference/createInference.ts';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { deadUrl, startEmulator } from '../../support/emulator.ts';
import { openTestDatabase, silentLogger } from '../../support/testDatabase.ts';

describe('checkReadiness', () => {
  let db: Database;
  let emulator: NimEmulator;
  let url: string;

  before(async () => {
    db = await openTestDatabase();
    ({ emulator, url } = await startEmulator({ warmupMs: 60_000 }));
  });
  after(async () => {
    await db?.close();
    await emulator?.close();
  });

  const env = (baseUrl: string) => ({
    LLM_BASE_URL: baseUrl,
    LLM_MODEL: 'meta/llama-3.1-8b-instruct',
    EMBEDDINGS_BASE_URL: baseUrl,
    EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
    RERANKER_BASE_URL: baseUrl,
    RERANKER_MODEL: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
  });
  const check = (vars: Record<string, string>) =>
    checkReadiness({ db, queue: new InlineJobQueue(silentLogger), inference: createInference(parseConfig(vars)) });

  it('is ok with every part embedded', async () => {
    const readiness = await check({});
    assert.equal(readiness.status, 'ok');
    assert.deepEqual(
      Object.values(readiness.components).map((component) => component.mode),
      ['embedded', 'inline', 'extractive', 'embedded', 'embedded'],
    );
  });

  it('reports services still loading their models as degraded, then ok once ready', async () => {
    const loading = await check(env(url));
    assert.equal(loading.status, 'degraded');
    assert.deepEqual([loading.components.llm.mode, loading.components.llm.ok], [url, false]);
    assert.match(loading.components.llm.detail!, /health\/ready answered HTTP 503 \(live: still loading its model\)/);

    await fetch(url.replace('/v1', '/emulator/ready'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"ready":true}',
    });
    const ready = await check(env(url));
    assert.equal(ready.status, 'ok');
    for (const name of ['llm', 'embeddings', 'reranker'] as const) {
      assert.deepEqual([ready.components[name].mode, ready.components[name].ok], [url, true]);
      assert.deepEqual(ready.components[name].replicas, [{ url, ready: true, state: 'closed', outstanding: 0 }]);
    }
  });

  it('catches a model name the service does not serve', async () => {
    const readiness = await check({ ...env(url), LLM_MODEL: 'meta/llama-3.1-8b-instuct' });
    assert.equal(readiness.components.llm.ok, false);
    assert.match(
      readiness.components.llm.detail!,
      /model meta\/llama-3.1-8b-instuct is not served here \(serves: meta\/llama-3.1-8b-instruct/,
    );
  });

  it('stays ok while one replica of two is unreachable, and names it', async () => {
    const readiness = await check({ ...env(url), RERANKER_BASE_URL: `${url},${deadUrl}` });
    assert.equal(readiness.components.reranker.ok, true);
    assert.match(readiness.components.reranker.detail!, /127\.0\.0\.1:9/);
  });

  it('turns a service that went away to not ok within seconds', async () => {
    const gone = await startEmulator();
    const inference = createInference(parseConfig(env(gone.url)));
    const deps = { db, queue: new InlineJobQueue(silentLogger), inference };
    assert.equal((await checkReadiness(deps)).components.llm.ok, true);
    await gone.emulator.close();
    const started = Date.now();
    const after = await checkReadiness(deps);
    assert.equal(after.components.llm.ok, false);
    assert.equal(after.status, 'degraded');
    assert.ok(Date.now() - started < 3_000);
  });
});
