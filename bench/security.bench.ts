/**
 * Security benchmark (`npm run bench:security`): runs `tapeout start` as its own process with the
 * demo corpus and a local Slack stand-in, then measures (1) the slowest /healthz round trip while
 * the largest accepted questions of the shapes that were quadratic run on each surface (REST with
 * server-sent events, socket.io, /v1, Slack), polling back to back from this process; and (2) the
 * server's resident memory while it refuses a DOCX of 1.5 MB that inflates to 1.5 GB but declares
 * 1 KB. Writes bench/results/security.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { lyingDocx } from '../test/support/officeFixtures.ts';
import { signedSlackRequest, startSlackStandIn } from '../test/support/slackStandIn.ts';
import { readEvents } from '../test/support/sse.ts';
import { startTapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { demoIngested } from './demoCorpus.ts';

const adminKey = `tap_bench_${randomUUID().replace(/-/g, '')}`;
const secret = 'bench-signing-secret';
const limit = 8000;
let seed = 7;
const randomLetters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
const questions: Record<string, string> = {
  'one letter': 'a'.repeat(limit),
  'Han characters': '北'.repeat(limit),
  'identifier parts': 'a_'.repeat(limit / 2),
  emoji: '😀'.repeat(limit / 2),
  'random letters': randomLetters(limit),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-security-'));
const slack = await startSlackStandIn({});
const server = await startTapeoutProcess(
  {
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_DEFAULT_ASSISTANT: 'chip-design-helper',
  },
  180_000,
);
const auth = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
const post = (route: string, body: unknown) =>
  fetch(`${server.url}${route}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

/** /healthz round trips, back to back, while `work` runs: the slowest and the median. */
async function healthDuring(work: () => Promise<void>): Promise<{ worstMs: number; medianMs: number; samples: number }> {
  const times: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${server.url}/healthz`);
      times.push(performance.now() - started);
    }
  })();
  await work();
  running = false;
  await poll;
  times.sort((a, b) => a - b);
  return {
    worstMs: Math.round(times.at(-1)! * 10) / 10,
    medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
    samples: times.length,
  };
}

const surfaces: Record<string, (question: string, i: number) => Promise<void>> = {
  rest: async (question) => {
    const { conversation } = (await (await post('/api/conversations', { assistant: 'chip-design-helper' })).json()) as {
      conversation: { id: string };
    };
    await readEvents(await post(`/api/conversations/${conversation.id}/messages`, { content: question }));
  },
  socketio: async (question) => {
    const { conversation } = (await (await post('/api/conversations', { assistant: 'chip-design-helper' })).json()) as {
      conversation: { id: string };
    };
    const socket = io(server.url, { auth: { token: adminKey }, transports: ['websocket'], reconnection: false });
    const done = new Promise((resolve) => socket.once('chat:done', resolve));
    await socket.timeout(60_000).emitWithAck('chat:send', { conversationId: conversation.id, content: question });
    await done;
    socket.close();
  },
  v1: async (question) => {
    const history = Array.from({ length: 199 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: question.slice(0, 960) }));
    await (
      await post('/v1/chat/completions', { model: 'chip-design-helper', messages: [...history, { role: 'user', content: question }] })
    ).json();
  },
  slack: async (question, i) => {
    const before = slack.calls.filter(
      (c) => c.method === 'chat.update' && /tapeout_feedback_up|:warning:/.test(JSON.stringify(c.args.blocks)),
    ).length;
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: `Ev${i}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel_type: 'im', user: 'U1', text: question, ts: `1700000${100 + i}.000100`, channel: 'D1' },
    });
    await fetch(`${server.url}/slack/events`, signedSlackRequest(secret, body));
    while (
      slack.calls.filter((c) => c.method === 'chat.update' && /tapeout_feedback_up|:warning:/.test(JSON.stringify(c.args.blocks))).length <=
      before
    )
      await sleep(20);
  },
};

async function rssMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

try {
  await demoIngested(server.url, auth);
  // 15 questions from the admin key (under the 20 a minute one user may ask) and 5 from the Slack user.
  const health: Record<string, Record<string, unknown>> = {};
  let count = 0;
  for (const [surface, ask] of Object.entries(surfaces)) {
    health[surface] = {};
    for (const [shape, question] of Object.entries(questions)) {
      health[surface][shape] = await healthDuring(() => ask(question, count++));
    }
  }

  const pid = server.child.pid!;
  const file = path.join(dataDir, 'lying.docx');
  await writeFile(file, await lyingDocx(1500 * 1024 * 1024, 1000));
  await post('/api/collections', { slug: 'bench-archives', name: 'Bench archives' });
  const before = await rssMb(pid);
  let peakDuring = before.rss;
  const sampler = setInterval(
    () =>
      void rssMb(pid)
        .then((m) => (peakDuring = Math.max(peakDuring, m.rss)))
        .catch(() => undefined),
    10,
  );
  const form = new FormData();
  form.append('files', new Blob([await readFile(file)]), 'lying.docx');
  const { jobs } = (await (
    await fetch(`${server.url}/api/collections/bench-archives/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}` },
      body: form,
    })
  ).json()) as { jobs: { id: string }[] };
  let job: { state: string; error?: { code: string } } = { state: 'queued' };
  while (job.state !== 'failed' && job.state !== 'completed') {
    await sleep(100);
    job = (await (await fetch(`${server.url}/api/jobs/${jobs[0]!.id}`, { headers: auth })).json()) as typeof job;
  }
  clearInterval(sampler);
  const after = await rssMb(pid);

  const report = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    setup:
      'tapeout start as its own process, embedded database, demo corpus, no LLM (extractive answers); /healthz polled back to back from the bench process',
    questionCharacters: limit,
    healthzDuringLargestQuestions: health,
    lyingArchive: {
      fileBytes: (await readFile(file)).length,
      inflatesToBytes: 1500 * 1024 * 1024,
      declaresBytes: 1000,
      outcome: `${job.state}: ${job.error?.code ?? ''}`,
      serverRssBeforeMb: before.rss,
      serverPeakRssWhileRefusingMb: peakDuring,
      serverLifetimePeakRssMb: after.peak,
    },
  };
  await writeFile('bench/results/security.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  await server.stop();
  await slack.close();
  await rm(dataDir, { recursive: true, force: true });
}
