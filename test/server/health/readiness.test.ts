import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../server/config/index.ts';
import type { Database } from '../../../server/db/Database.ts';
import { checkReadiness } from '../../../server/health/readiness.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { openTestDatabase, silentLogger } from '../../support/testDatabase.ts';

describe('checkReadiness', () => {
  let db: Database;
  let server: http.Server;
  let baseUrl: string;
  let modelLoaded = false;

  before(async () => {
    db = await openTestDatabase();
    // Answers like a NIM container: 503 while the model loads, then 200.
    server = http.createServer((req, res) => {
      if (req.url !== '/v1/health/ready') return void res.writeHead(404).end();
      res.writeHead(modelLoaded ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'health.response', message: modelLoaded ? 'ready' : 'not ready', ready: modelLoaded }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    await db?.close();
    server?.close();
  });

  const check = (env: Record<string, string>) =>
    checkReadiness({ config: parseConfig(env), db, queue: new InlineJobQueue(silentLogger), embedder: new HashingEmbedder() });

  it('is ok with every part embedded', async () => {
    const readiness = await check({});
    assert.equal(readiness.status, 'ok');
    assert.equal(readiness.components.llm.mode, 'extractive');
  });

  it('reports a loading LLM as degraded, then ok once it is ready', async () => {
    modelLoaded = false;
    const loading = await check({ LLM_BASE_URL: baseUrl });
    assert.equal(loading.status, 'degraded');
    assert.deepEqual([loading.components.llm.mode, loading.components.llm.ok], [baseUrl, false]);
    assert.match(loading.components.llm.detail!, /HTTP 503/);

    modelLoaded = true;
    const ready = await check({ LLM_BASE_URL: baseUrl });
    assert.equal(ready.status, 'ok');
    assert.equal(ready.components.llm.ok, true);
  });

  it('stays up while one replica of two is unreachable', async () => {
    modelLoaded = true;
    const readiness = await check({ RERANKER_BASE_URL: `${baseUrl},http://127.0.0.1:9/v1` });
    assert.equal(readiness.components.reranker.ok, true);
    assert.match(readiness.components.reranker.detail!, /127\.0\.0\.1:9/);
  });

  it('never claims a configured embedding service that is not used', async () => {
    const readiness = await check({ EMBEDDINGS_BASE_URL: baseUrl });
    assert.equal(readiness.components.embeddings.mode, 'embedded');
    assert.match(readiness.components.embeddings.detail!, /not used yet/);
  });
});
