/**
 * Inference plumbing benchmark: Tapeout's clients over loopback HTTP against the NIM emulator
 * (in this same process, so its CPU work is included), the CPU embedder, and the extractive
 * answerer. Writes bench/results/inference.json. It measures Tapeout, not a GPU model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { extractiveAnswer } from '../server/answering/extractiveAnswer.ts';
import { HashingEmbedder } from '../server/inference/embeddings/HashingEmbedder.ts';
import { NimEmbedder } from '../server/inference/embeddings/NimEmbedder.ts';
import { ServiceClient } from '../server/inference/http/ServiceClient.ts';
import { OpenAICompatibleChatModel } from '../server/inference/llm/OpenAICompatibleChatModel.ts';
import { NimEmulator } from '../server/inference/nimEmulator/NimEmulator.ts';
import { NimReranker } from '../server/inference/reranking/NimReranker.ts';
import { sampleCollections } from '../server/seed/sampleCorpus/index.ts';
import { sectionText } from '../server/seed/sampleCorpus/sectionText.ts';

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const passages = sampleCollections.flatMap((c) => c.documents.flatMap((d) => d.sections.map(sectionText)));
const corpus = Array.from({ length: 2000 }, (_, i) => passages[i % passages.length]!);

const emulator = new NimEmulator({ tokensPerSecond: 5000, maxBatchSize: 64 });
const url = await emulator.listen();
const client = (service: string, model: string) => new ServiceClient(service, { baseUrls: [url], model, apiKey: undefined });

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const hashing = new HashingEmbedder();
const [, hashingMs] = await time(() => hashing.embedPassages(corpus));

const nim = new NimEmbedder(client('embeddings', 'nvidia/llama-3.2-nv-embedqa-1b-v2'), { dimensions: undefined, batchSize: 32 });
await nim.embedPassages(corpus.slice(0, 64));
const [, nimMs] = await time(() => nim.embedPassages(corpus));

const reranker = new NimReranker(client('reranker', 'nvidia/llama-3.2-nv-rerankqa-1b-v2'));
const rerankTimes: number[] = [];
for (let i = 0; i < 50; i++)
  rerankTimes.push((await time(() => reranker.rank('scan enable timing of clock gating', corpus.slice(i, i + 100), { topK: 10 })))[1]);

const chat = new OpenAICompatibleChatModel(client('llm', 'meta/llama-3.1-8b-instruct'), {
  extraBody: {},
  extraBodyFormat: 'top-level',
  firstTokenTimeoutMs: 10_000,
  timeoutMs: 60_000,
  maxTokens: 2048,
});
const firstTokenTimes: number[] = [];
for (let i = 0; i < 30; i++) {
  const started = performance.now();
  for await (const event of chat.stream({
    messages: [
      {
        role: 'system',
        content: passages
          .slice(i, i + 10)
          .map((p, n) => `[${n + 1}] ${p}`)
          .join('\n'),
      },
      { role: 'user', content: 'Which signals need synchronizers and why?' },
    ],
  })) {
    if (event.type === 'token') {
      firstTokenTimes.push(performance.now() - started);
      break;
    }
  }
}

const sources = passages.slice(0, 10).map((text, i) => ({ number: i + 1, text }));
const [, extractiveMs] = await time(async () => {
  for (let i = 0; i < 500; i++) extractiveAnswer('What is clk_div_en and how is set_multicycle_path paired?', sources);
});

await emulator.close();

const report = {
  benchmark: 'inference',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
  note: 'Client plus NIM emulator in one process over loopback HTTP (emulator work included); not GPU model speed.',
  cpuHashingEmbedder: { passages: corpus.length, passagesPerSecond: round(corpus.length / (hashingMs / 1000), 0) },
  nimEmbedderViaHttp: { passages: corpus.length, batchSize: 32, passagesPerSecond: round(corpus.length / (nimMs / 1000), 0) },
  rerankerViaHttp: {
    passagesPerCall: 100,
    calls: rerankTimes.length,
    p50Ms: round(percentile(rerankTimes, 50)),
    p95Ms: round(percentile(rerankTimes, 95)),
  },
  chatFirstTokenViaHttp: {
    calls: firstTokenTimes.length,
    p50Ms: round(percentile(firstTokenTimes, 50)),
    p95Ms: round(percentile(firstTokenTimes, 95)),
  },
  extractiveAnswer: { sources: sources.length, msPerAnswer: round(extractiveMs / 500, 3) },
};
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/inference.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
