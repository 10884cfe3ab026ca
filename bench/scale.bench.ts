/**
 * Load over two instances (`npm run bench:scale`): `tapeout db`, two `tapeout start --no-worker`
 * instances and one `tapeout worker` on one Redis, the demo corpus, and the NIM emulator as the
 * LLM in a process of its own (streaming 50 tokens a second, as a loaded GPU would). 256
 * conversations, at most 64 in flight: each is created on one instance, asks there, and asks a
 * follow-up on the other instance. Bounded in count and in time (BENCH_TIMEOUT_S, 600 s), loopback
 * only. Records errors, first-token and whole-answer times as the client sees them, turns per
 * instance, /healthz on both instances meanwhile, and each process's peak memory. Writes
 * bench/results/scale.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readEvents } from '../test/support/sse.ts';
import { startTapeoutProcess, type TapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { PeakRssMonitor } from './ingest/peakRss.ts';

const root = path.resolve(import.meta.dirname, '..');
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 256);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const adminKey = 'tap_bench_scale_0123456789abcdef0123';
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const summary = (values: number[]) => ({
  n: values.length,
  p50: Math.round(percentile(values, 50)),
  p95: Math.round(percentile(values, 95)),
  p99: Math.round(percentile(values, 99)),
  max: Math.round(Math.max(...values)),
});
const questions = [
  ['What must be checked before tape-out?', 'Which of those checks is run last?'],
  ['How are hold violations fixed after clock tree synthesis?', 'And on the scan path?'],
  ['How do I reset my VPN password?', 'What if I am travelling?'],
  ['How many days of parental leave do we get?', 'Can it be split?'],
] as const;

async function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/tapeout.js'), 'nim-emulator', '--port', String(port), '--tokens-per-second', '50'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout!.on('data', (data: Buffer) => data.toString().includes('serving on') && resolve()));
  return { child, url: `http://127.0.0.1:${port}/v1` };
}

interface Turn {
  instance: 'a' | 'b';
  firstTokenMs: number;
  totalMs: number;
}

async function ask(instance: TapeoutProcess, conversation: string, content: string): Promise<Omit<Turn, 'instance'>> {
  const startedAt = performance.now();
  let firstTokenMs = NaN;
  const response = await fetch(`${instance.url}/api/conversations/${conversation}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const events = await readEvents(response, (event) => {
    if (event.event === 'token' && Number.isNaN(firstTokenMs)) firstTokenMs = performance.now() - startedAt;
  });
  const done = events.find((event) => event.event === 'done');
  if (done?.data.status !== 'complete') throw new Error(`answer ended ${JSON.stringify(done?.data ?? events.at(-1))}`);
  return { firstTokenMs, totalMs: performance.now() - startedAt };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-scale-'));
  const emulator = await startEmulator();
  const processes: TapeoutProcess[] = [];
  const start = async (env: Record<string, string>, args: string[]) => {
    const started = await startTapeoutProcess({ LOG_LEVEL: 'warn', ...env }, 120_000, args);
    processes.push(started);
    return started;
  };
  try {
    const database = await start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, ['db']);
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `tapeout-bench-${randomUUID().slice(0, 8)}`,
      ADMIN_API_KEY: adminKey,
      LLM_BASE_URL: emulator.url,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      // One admin key asks every question: the per-user quotas would refuse most of them.
      CHAT_MAX_CONCURRENT_ANSWERS: '100000',
      CHAT_QUESTIONS_PER_MINUTE: '100000',
      LOG_LEVEL: 'info',
    };
    const a = await start(env, ['start', '--no-worker']);
    const [b, worker] = await Promise.all([start(env, ['start', '--no-worker']), start(env, ['worker'])]);
    const instances = { a, b };
    const memory = new PeakRssMonitor(() => ({
      database: database.child.pid,
      'server a': a.child.pid,
      'server b': b.child.pid,
      worker: worker.child.pid,
    }));
    // The demo corpus is ingested by the worker before the load starts.
    for (;;) {
      const { documents } = (await (
        await fetch(`${a.url}/api/collections/chip-design/documents`, { headers: { authorization: `Bearer ${adminKey}` } })
      ).json()) as { documents?: { status: string }[] };
      if (documents?.length && documents.every((document) => document.status === 'ready')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const health: Record<'a' | 'b', number[]> = { a: [], b: [] };
    let loading = true;
    const probing = Promise.all(
      (['a', 'b'] as const).map(async (name) => {
        while (loading) {
          const startedAt = performance.now();
          await fetch(`${instances[name].url}/healthz`);
          health[name].push(performance.now() - startedAt);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
    const turns: Turn[] = [];
    const errors: string[] = [];
    let next = 0;
    const startedAt = performance.now();
    const deadline = Date.now() + timeoutMs;
    const assistants = ['chip-design-helper', 'chip-design-helper', 'it-helpdesk', 'hr-policy'];
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < conversations && Date.now() < deadline) {
          const i = next++;
          const [first, second] = i % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
          try {
            const created = await fetch(`${instances[first].url}/api/conversations`, {
              method: 'POST',
              headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
              body: JSON.stringify({ assistant: assistants[i % 4] }),
            });
            const { conversation } = (await created.json()) as { conversation: { id: string } };
            const [question, followUp] = questions[i % 4]!;
            turns.push({ instance: first, ...(await ask(instances[first], conversation.id, question)) });
            turns.push({ instance: second, ...(await ask(instances[second], conversation.id, followUp)) });
          } catch (error) {
            errors.push((error as Error).message);
          }
        }
      }),
    );
    const elapsedS = (performance.now() - startedAt) / 1000;
    loading = false;
    await probing;
    await memory.sample();
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
      },
      setup: {
        processes:
          'tapeout db, two tapeout start --no-worker, one tapeout worker, NIM emulator (LLM, 50 tokens/s), Redis; all on this machine',
        conversations,
        inFlight,
        turnsPerConversation: 2,
        corpus: 'demo (3 collections)',
      },
      completedConversations: Math.min(next, conversations) - errors.length,
      errors: { count: errors.length, first: errors.slice(0, 5) },
      elapsedSeconds: Math.round(elapsedS * 10) / 10,
      turnsPerSecond: Math.round((turns.length / elapsedS) * 100) / 100,
      turnsPerInstance: {
        a: turns.filter((turn) => turn.instance === 'a').length,
        b: turns.filter((turn) => turn.instance === 'b').length,
      },
      firstTokenMs: summary(turns.map((turn) => turn.firstTokenMs)),
      answerMs: summary(turns.map((turn) => turn.totalMs)),
      healthzMs: { a: summary(health.a), b: summary(health.b) },
      peakRssMb: memory.stop(),
    };
    await writeFile(path.join(root, 'bench', 'results', 'scale.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    if (errors.length > 0) process.exitCode = 1;
  } finally {
    await Promise.all(processes.slice(1).map((started) => started.stop()));
    await processes[0]?.stop();
    emulator.child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
