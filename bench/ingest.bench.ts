/**
 * Ingestion benchmark (`npm run bench:ingest`): generates a mixed corpus of at least 2,000
 * documents and 50 MB (bench/.corpus, reused across runs), then ingests it twice with the real
 * CLI and processes: fully embedded (`tapeout ingest`, in-process queue, CPU embedder), and with
 * REDIS_URL (a server with `--no-worker`, two `tapeout worker` processes, `tapeout ingest
 * --server`). Writes documents/s, MB/s, chunks/s and peak RSS per process to
 * bench/results/ingest.json. Needs Redis on 127.0.0.1:6379 for the second run.
 */
import { execSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startTapeoutProcess, type TapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { generateCorpus, type CorpusManifest } from './ingest/generateCorpus.ts';
import { PeakRssMonitor } from './ingest/peakRss.ts';

const root = path.resolve(import.meta.dirname, '..');
const spec = { documents: Number(process.env.BENCH_DOCUMENTS ?? 2600), sectionsPerDocument: 40 };
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const adminKey = `tap_bench_${randomUUID().replace(/-/g, '')}`;
// Ingestion itself, as first measured: the sentence encoder's vectors come after a document is
// ready, in the background at about 15 chunks a second, and are measured in docs/quality.md.
const sentenceEncoder = { SENTENCE_ENCODER: 'off' };

interface RunResult {
  mode: string;
  seconds: number;
  documents: number;
  failed: number;
  chunks: number;
  documentsPerSecond: number;
  megabytesPerSecond: number;
  chunksPerSecond: number;
  peakRssMb: Record<string, number>;
  /** The one-time creation of the embedded database, before the timed ingestion. */
  initdbPeakRssMb?: number;
}

function runCli(
  args: string[],
  env: Record<string, string>,
  monitorNames: Record<string, number | undefined>,
): Promise<{ code: number | null; pid: number }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/tapeout.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  monitorNames.cli = child.pid;
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, pid: child.pid! })));
}

async function countResults(socketDir: string): Promise<{ documents: number; failed: number; chunks: number }> {
  const client = new pg.Client({ host: socketDir, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ documents: number; failed: number; chunks: number }>(
      `SELECT (SELECT count(*) FROM documents WHERE status = 'ready')::int AS documents,
              (SELECT count(*) FROM documents WHERE status = 'failed')::int AS failed,
              (SELECT count(*) FROM chunks)::int AS chunks`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

function summarise(
  mode: string,
  started: number,
  counts: { documents: number; failed: number; chunks: number },
  corpus: CorpusManifest,
  peakRssMb: Record<string, number>,
): RunResult {
  const seconds = (performance.now() - started) / 1000;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    mode,
    seconds: round(seconds),
    ...counts,
    documentsPerSecond: round(counts.documents / seconds),
    megabytesPerSecond: round(corpus.bytes / 1024 / 1024 / seconds),
    chunksPerSecond: round(counts.chunks / seconds),
    peakRssMb,
  };
}

/**
 * A fresh data directory with its database created (`tapeout migrate`). PGlite's one-time initdb
 * peaks near 1 GB on its own, so it is measured apart from ingestion and reported beside it.
 */
async function initialisedDataDir(): Promise<{ dataDir: string; initdbPeakRssMb: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-'));
  const pids: Record<string, number | undefined> = {};
  const monitor = new PeakRssMonitor(() => pids);
  const { code } = await runCli(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, pids);
  if (code !== 0) throw new Error(`tapeout migrate exited with ${code}`);
  return { dataDir, initdbPeakRssMb: monitor.stop().cli ?? 0 };
}

async function embeddedRun(files: string, corpus: CorpusManifest): Promise<RunResult> {
  const { dataDir, initdbPeakRssMb } = await initialisedDataDir();
  const pids: Record<string, number | undefined> = {};
  const monitor = new PeakRssMonitor(() => pids);
  const started = performance.now();
  const { code } = await runCli(
    ['ingest', files, '-c', 'bench', '--create'],
    { DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...sentenceEncoder },
    pids,
  );
  const peaks = monitor.stop();
  if (code !== 0) throw new Error(`tapeout ingest exited with ${code}`);
  // The CLI has exited; a server opens the database to count what landed (not timed).
  const server = await startTapeoutProcess({ DATA_DIR: dataDir, SEED_DEMO: 'false', ...sentenceEncoder });
  const counts = await countResults(path.join(dataDir, 'pg'));
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  return { ...summarise('embedded (tapeout ingest, in-process queue, CPU embedder)', started, counts, corpus, peaks), initdbPeakRssMb };
}

async function redisRun(files: string, corpus: CorpusManifest): Promise<RunResult> {
  const { dataDir, initdbPeakRssMb } = await initialisedDataDir();
  const prefix = `tapeout-bench-${randomUUID().slice(0, 8)}`;
  const env = {
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    ...sentenceEncoder,
  };
  const processes: TapeoutProcess[] = [];
  try {
    const server = await startTapeoutProcess({ ...env, LOG_LEVEL: 'info' }, 60_000, ['start', '--no-worker']);
    processes.push(server);
    const workerEnv = {
      ...env,
      LOG_LEVEL: 'info',
      DATABASE_URL: `postgresql://postgres@localhost/postgres?host=${path.join(dataDir, 'pg')}`,
    };
    for (let i = 0; i < 2; i++) processes.push(await startTapeoutProcess(workerEnv, 60_000, ['worker']));
    const pids: Record<string, number | undefined> = {
      server: server.child.pid,
      worker1: processes[1]!.child.pid,
      worker2: processes[2]!.child.pid,
    };
    const monitor = new PeakRssMonitor(() => pids);
    const started = performance.now();
    const { code } = await runCli(['ingest', files, '-c', 'bench', '--create', '--server', server.url, '--api-key', adminKey], env, pids);
    await monitor.sample();
    const peaks = monitor.stop();
    if (code !== 0) throw new Error(`tapeout ingest --server exited with ${code}`);
    const counts = await countResults(path.join(dataDir, 'pg'));
    return {
      ...summarise('redis (server --no-worker, 2 tapeout workers, ingest --server)', started, counts, corpus, peaks),
      initdbPeakRssMb,
    };
  } finally {
    for (const child of processes.reverse()) await child.stop();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const corpusDir = path.join(root, 'bench', '.corpus');
console.log(`Generating (or reusing) the corpus in ${corpusDir} ...`);
const corpus = await generateCorpus(corpusDir, spec);
console.log(`Corpus: ${corpus.documents} documents, ${(corpus.bytes / 1024 / 1024).toFixed(1)} MB, ${JSON.stringify(corpus.formats)}`);
const files = path.join(corpusDir, 'files');
const runs = [await embeddedRun(files, corpus)];
console.log(runs[0]);
runs.push(await redisRun(files, corpus));
console.log(runs[1]);

const report = {
  benchmark: 'ingest',
  date: new Date().toISOString(),
  commit: execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  },
  corpus: { documents: corpus.documents, megabytes: Math.round((corpus.bytes / 1024 / 1024) * 10) / 10, formats: corpus.formats },
  targets: { chunksPerSecond: 600, peakRssMbPerProcess: 600 },
  settings: sentenceEncoder,
  runs,
};
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(path.join(root, 'bench', 'results', 'ingest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('Wrote bench/results/ingest.json');
