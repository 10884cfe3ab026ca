/**
 * Chat benchmark (`npm run bench:chat`): on 10k and 100k chunks in the embedded database, with the
 * NIM emulator answering instantly in its own process, measures (1) retrieval latency, (2) the
 * time from a question sent over socket.io to the first streamed token, at 1, 16 and 64
 * concurrent conversations (the server's own overhead: retrieval, prompt, storage, streaming),
 * with /healthz's latency and the server's event-loop delay meanwhile, and its ratio to the bare
 * vector query, (3) HNSW recall@10 of the search path against exact search, and (4) each
 * process's peak memory. Writes bench/results/chat.json.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { parseConfig } from '../server/config/index.ts';
import { toVectorLiteral } from '../server/db/embeddingIndex.ts';
import { createLogger } from '../server/logging/logger.ts';
import { closeServices, createServices, type Services } from '../server/services.ts';
import { sampleCollections } from '../server/seed/sampleCorpus/index.ts';
import { startTapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { loadChunks } from './chat/loadChunks.ts';
import { peakRssMb } from './ingest/peakRss.ts';
import { systemActor } from '../server/access/systemActor.ts';

const root = path.resolve(import.meta.dirname, '..');
const sizes = (process.env.BENCH_CHUNKS ?? '10000,100000').split(',').map(Number);
const adminKey = 'tap_bench_chat_0123456789abcdef0123';
const everyone = { userId: null, email: null, role: 'member' as const };
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const summary = (values: number[]) => ({
  n: values.length,
  p50: Math.round(percentile(values, 50) * 10) / 10,
  p99: Math.round(percentile(values, 99) * 10) / 10,
});

// Questions in the corpus's own words: the first sentence of each authored section.
const questions = sampleCollections.flatMap((c) =>
  c.documents.flatMap((d) => d.sections.map((s) => (s.paragraphs?.[0] ?? s.heading).split('. ')[0]!.slice(0, 160))),
);

async function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/tapeout.js'), 'nim-emulator', '--port', String(port), '--tokens-per-second', '100000'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout!.on('data', (data: Buffer) => data.toString().includes('serving on') && resolve()));
  return { child, url: `http://127.0.0.1:${port}/v1` };
}

async function retrievalLatency(services: Services, collectionId: string): Promise<{ n: number; p50: number; p99: number }> {
  const times: number[] = [];
  for (const [i, question] of questions.concat(questions).entries()) {
    const started = performance.now();
    await services.retriever.retrieve(everyone, question, { collectionIds: [collectionId] });
    if (i >= 10) times.push(performance.now() - started);
  }
  return summary(times);
}

/**
 * The floor under the concurrent figures: 16 clients issuing only the hashed-vector HNSW query
 * (no full text, no second vector list, no writes) against the same database. The embedded
 * database runs every query on one thread, so this is what 16 conversations cost at the least.
 */
async function concurrentVectorFloor(
  services: Services,
  collectionId: string,
  clients: number,
): Promise<{ n: number; p50: number; p99: number }> {
  const vectors = await Promise.all(questions.slice(0, 32).map((question) => services.embedder.embedQuery(question)));
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        await services.chunks.nearest(everyone, vectors[(client * 5 + i) % vectors.length]!, services.embedder.model, {
          collectionIds: [collectionId],
          limit: 100,
        });
        times.push(performance.now() - started);
      }
    }),
  );
  return summary(times);
}

/** Share of the exact top 10 (sequential scan) that the search path's HNSW query (100 candidates, as retrieval asks) returns first. */
async function hnswRecall(services: Services, collectionId: string): Promise<number> {
  const sql = `SELECT id::text AS id FROM chunks WHERE embedding_dimension = 512 ORDER BY embedding::vector(512) <=> $1::vector(512) LIMIT 10`;
  let found = 0;
  const sample = questions.slice(0, 50);
  for (const question of sample) {
    const embedding = await services.embedder.embedQuery(question);
    const hits = await services.chunks.nearest(everyone, embedding, services.embedder.model, { collectionIds: [collectionId], limit: 100 });
    const approximate = new Set(hits.slice(0, 10).map((hit) => hit.id));
    const exact = await services.db.transaction(async (client) => {
      await client.query('SET LOCAL enable_indexscan = off');
      return (await client.query<{ id: string }>(sql, [toVectorLiteral(embedding)])).rows;
    });
    found += exact.filter((row) => approximate.has(row.id)).length;
  }
  return Math.round((found / (sample.length * 10)) * 1000) / 1000;
}

/** The bare HNSW query alone, one client: what the first-token time is compared with. */
async function bareVectorQuery(services: Services, collectionId: string): Promise<{ n: number; p50: number; p99: number }> {
  const vectors = await Promise.all(questions.slice(0, 40).map((question) => services.embedder.embedQuery(question)));
  const times: number[] = [];
  for (const vector of vectors) {
    const started = performance.now();
    await services.chunks.nearest(everyone, vector, services.embedder.model, { collectionIds: [collectionId], limit: 100 });
    times.push(performance.now() - started);
  }
  return summary(times.slice(5));
}

/** Polls `/healthz` every 50 ms while `work` runs: what a load balancer's probe waits meanwhile. */
async function healthzDuring<T>(
  url: string,
  work: () => Promise<T>,
): Promise<{ result: T; healthzMs: { n: number; p50: number; p99: number } }> {
  const times: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${url}/healthz`).then((response) => response.arrayBuffer());
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { result: await work(), healthzMs: summary(times) };
  } finally {
    running = false;
    await poll;
  }
}

/** The server's own report of its event-loop delay since the previous one (admin `/readyz`). */
async function serverProcessReport(
  url: string,
): Promise<{ eventLoopDelayMs: { p50: number; p99: number; max: number; sinceMs: number }; rssMb: number }> {
  const response = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${adminKey}` } });
  return (await response.json()).process;
}

async function timeToFirstToken(url: string, concurrency: number): Promise<{ n: number; p50: number; p99: number }> {
  const turnsEach = Math.max(2, Math.ceil(96 / concurrency));
  const times: number[] = [];
  const sockets: Socket[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const socket = io(url, { auth: { token: adminKey }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const response = await fetch(`${url}/api/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ assistant: 'bench' }),
      });
      const { conversation } = await response.json();
      for (let turn = 0; turn < turnsEach; turn++) {
        const started = performance.now();
        const first = new Promise<void>((resolve) => socket.once('chat:token', () => resolve()));
        const done = new Promise<void>((resolve) => socket.once('chat:done', () => resolve()));
        const ack = await socket.emitWithAck('chat:send', {
          conversationId: conversation.id,
          content: questions[(worker * 7 + turn) % questions.length],
        });
        if (!ack.ok) throw new Error(`chat:send refused: ${JSON.stringify(ack)}`);
        await first;
        times.push(performance.now() - started);
        await done;
      }
    }),
  );
  for (const socket of sockets) socket.close();
  return summary(times);
}

async function runSize(chunks: number, llmUrl: string) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-chat-'));
  try {
    const services = await createServices(parseConfig({ DATA_DIR: dataDir, SEED_DEMO: 'false' }), createLogger('warn'));
    // English, like the demo collections: questions also search the sentence encoder's vectors.
    const collection = await services.collections.create(systemActor, {
      slug: 'bench',
      name: 'Bench',
      embeddingModel: services.embedder.model,
      embeddingDimension: 512,
      language: 'en',
    });
    await services.collections.grantToGroup(systemActor, collection.id, 'everyone');
    await services.assistants.create(systemActor, {
      slug: 'bench',
      name: 'Bench',
      systemPrompt: 'Answer from the sources.',
      collectionIds: [collection.id],
    });
    const loadStarted = performance.now();
    await loadChunks(services, collection.id, chunks);
    const loadSeconds = Math.round((performance.now() - loadStarted) / 1000);
    console.log(`${chunks} chunks loaded in ${loadSeconds} s`);
    const retrieval = await retrievalLatency(services, collection.id);
    const recallAt10 = await hnswRecall(services, collection.id);
    const vectorQueryAt16 = await concurrentVectorFloor(services, collection.id, 16);
    const vectorQuery = await bareVectorQuery(services, collection.id);
    console.log(
      chunks,
      'retrieval ms',
      retrieval,
      'HNSW recall@10',
      recallAt10,
      'vector query alone',
      vectorQuery,
      'at 16 clients',
      vectorQueryAt16,
    );
    await closeServices(services);
    // One key stands in for 64 people here, so the per-user chat quotas are lifted.
    const quotas = { CHAT_MAX_CONCURRENT_ANSWERS: '1000', CHAT_QUESTIONS_PER_MINUTE: '1000000' };
    const server = await startTapeoutProcess(
      {
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        ADMIN_API_KEY: adminKey,
        LLM_BASE_URL: llmUrl,
        LLM_MODEL: 'meta/llama-3.1-8b-instruct',
        LOG_LEVEL: 'info',
        ...quotas,
      },
      120_000,
    );
    const firstToken: Record<string, { n: number; p50: number; p99: number }> = {};
    let during64: Record<string, unknown> = {};
    let memoryMb: Record<string, number> = {};
    try {
      for (const concurrency of [1, 16, 64]) {
        await serverProcessReport(server.url);
        const { result, healthzMs } = await healthzDuring(server.url, () => timeToFirstToken(server.url, concurrency));
        firstToken[`concurrency${concurrency}`] = result;
        const { eventLoopDelayMs } = await serverProcessReport(server.url);
        if (concurrency === 64) during64 = { healthzMs, serverEventLoopDelayMs: eventLoopDelayMs };
        console.log(chunks, concurrency, result, 'healthz', healthzMs, 'event loop', eventLoopDelayMs);
      }
      memoryMb = await peakRssMb(server.child.pid!, 'server');
    } finally {
      await server.stop();
    }
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    const firstTokenOverBareVectorQuery = {
      concurrency1: ratio(firstToken.concurrency1!.p50, vectorQuery.p50),
      concurrency16: ratio(firstToken.concurrency16!.p50, vectorQueryAt16.p50),
    };
    console.log(chunks, 'first token / bare vector query (p50)', firstTokenOverBareVectorQuery, 'peak RSS MB', memoryMb);
    return {
      chunks,
      loadSeconds,
      retrievalMs: retrieval,
      questionToFirstTokenMs: firstToken,
      during64Conversations: during64,
      bareVectorQueryMs: vectorQuery,
      floorVectorQueryAt16ClientsMs: vectorQueryAt16,
      firstTokenOverBareVectorQuery,
      hnswRecallAt10: recallAt10,
      peakRssMb: memoryMb,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const emulator = await startEmulator();
const results = [];
try {
  for (const size of sizes) results.push(await runSize(size, emulator.url));
} finally {
  emulator.child.kill();
}
const report = {
  benchmark: 'chat',
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  },
  commit: execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(),
  setup:
    'embedded database in its own process, CPU embedders (hashing; sentence encoder for English queries, its index filled with stand-in vectors), no reranker; an English collection; NIM emulator in its own process streaming instantly; socket.io clients in the benchmark process',
  targets: {
    firstTokenOn10k: { concurrency16: { p50Ms: 250, p99Ms: 600 }, concurrency64: { p50Ms: 1000 } },
    firstTokenOn100k: { concurrency1: { p50Ms: 60 } },
    during64Conversations: { healthzP99Ms: 20, serverEventLoopDelayP99Ms: 20 },
    hnswRecallAt10: 0.95,
  },
  results,
};
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(path.join(root, 'bench', 'results', 'chat.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
