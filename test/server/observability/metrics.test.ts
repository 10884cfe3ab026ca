import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { io, type Socket } from 'socket.io-client';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { startEmulator } from '../../support/emulator.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { postFiles, buildUser } from '../../support/factories.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

const metricsToken = 'metrics-token-0123456789abcdef0123456789';

describe('/metrics', () => {
  let emulator: NimEmulator;
  let emulatorUrl: string;
  let runtime: TestRuntime;
  let memberKey: string;
  let socket: Socket | undefined;

  const scrape = async (authorization?: string) => fetch(`${runtime.url}/metrics`, authorization ? { headers: { authorization } } : {});
  /**
   * The scrape, parsed twice: as it is, for the families and their types (a malformed line
   * throws), and without its TYPE lines, for every series with its labels: the parser folds a
   * histogram's series into one whatever their labels, so `_count` is read as a series of its own.
   */
  const families = async (): Promise<Map<string, Family>> => {
    const response = await scrape(`Bearer ${metricsToken}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const typed = parsePrometheusTextFormat(text);
    const series = parsePrometheusTextFormat(text.replace(/^# TYPE .*$/gm, ''));
    const byName = new Map<string, Family>();
    // Without TYPE lines, a histogram's `_count` lines come in runs between its buckets: one family each.
    for (const family of series) {
      const seen = byName.get(family.name);
      if (seen) seen.metrics.push(...family.metrics);
      else byName.set(family.name, family);
    }
    for (const family of typed) byName.set(family.name, family);
    return byName;
  };
  const sample = (family: Family | undefined, labels: Record<string, string>) =>
    family?.metrics.find((metric) => Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value));
  const ask = async (content: string) => {
    const response = await fetch(`${runtime.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'launch', messages: [{ role: 'user', content }] }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { answer_mode: string };
  };

  before(async () => {
    ({ emulator, url: emulatorUrl } = await startEmulator({ tokensPerSecond: 2000 }));
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      METRICS_TOKEN: metricsToken,
      LLM_BASE_URL: emulatorUrl,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      RERANKER_BASE_URL: emulatorUrl,
      RERANKER_MODEL: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
    });
    const { services } = runtime;
    await services.assistants.create(systemActor, {
      slug: 'launch',
      name: 'Launch',
      systemPrompt: 'Answer from the sources.',
      collectionIds: [await createOpenCollection(runtime, 'handbook')],
    });
    await uploadAndWait(
      runtime,
      'handbook',
      'launch.md',
      '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager.\n',
    );
    const member = await buildUser(services, { email: 'member@example.com' });
    memberKey = member.apiKey;
  });
  after(async () => {
    socket?.close();
    await runtime?.dispose();
    await emulator?.close();
  });

  it('is never anonymous: 401 without credentials, 403 for a member, 200 for the METRICS_TOKEN and an admin key', async () => {
    const anonymous = await scrape();
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    assert.equal((await scrape('Bearer not-the-metrics-token-0123456789abcdef')).status, 401);
    assert.equal((await scrape(`Bearer ${memberKey}`)).status, 403);
    assert.equal((await scrape(`Bearer ${metricsToken}`)).status, 200);
    assert.equal((await scrape(`Bearer ${runtime.apiKey}`)).status, 200);
  });

  it('counts requests, answers by mode, retrieval, first tokens, inference calls, ingestion, the queue and sockets, in the Prometheus text format', async () => {
    socket = io(runtime.url, { auth: { token: memberKey }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => socket!.once('connect', resolve).once('connect_error', reject));
    assert.equal((await ask('When is the launch review?')).answer_mode, 'llm');
    emulator.injectFaults([{ kind: 'http-error', endpoint: 'chat', status: 400, times: 1 }]);
    assert.equal((await ask('Who attends the launch review?')).answer_mode, 'extractive');
    await fetch(`${runtime.url}/api/conversations/not-a-uuid`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
    // Before any failure, every known code already has its series at 0.
    const before = (await families()).get('tapeout_ingestion_failures_total');
    assert.equal(sample(before, { code: 'zip_bomb', stage: 'job' })?.value, '0');
    assert.equal(sample(before, { code: 'corrupt_file', stage: 'job' })?.value, '0');
    assert.equal(sample(before, { code: 'unsupported_type', stage: 'intake' })?.value, '0');
    // broken.pdf fails in its job; empty.txt is refused by the upload itself.
    await postFiles(runtime, 'handbook', { 'broken.pdf': '%PDF-1.7 this is not a real PDF', 'empty.txt': '' });
    // The failure is counted before its job is marked failed in the queue: wait for both.
    await waitFor(async () => {
      const scraped = await families();
      const failedJobs = Number(sample(scraped.get('tapeout_queue_jobs'), { queue: 'tasks', state: 'failed' })?.value);
      const failures = sample(scraped.get('tapeout_ingestion_failures_total'), { code: 'corrupt_file', stage: 'job' });
      return failures?.value === '1' && failedJobs >= 1 ? true : undefined;
    }, 'the failed ingestion, counted and in the queue');
    // Refused before routing (no credentials), still under the route it was meant for.
    assert.equal((await fetch(`${runtime.url}/api/conversations`)).status, 401);

    const scraped = await families();
    assert.equal(scraped.get('tapeout_http_request_duration_seconds')?.type, 'HISTOGRAM');
    const http = scraped.get('tapeout_http_request_duration_seconds_count');
    assert.equal(sample(http, { route: '/v1/chat/completions', method: 'POST', status: '200' })?.value, '2');
    // Route patterns, never raw paths: an id in the URL does not become a series of its own.
    assert.ok(sample(http, { route: '/api/conversations/:id', method: 'GET' }));
    assert.ok(!http!.metrics.some((metric) => metric.labels?.route?.includes('not-a-uuid')));

    assert.equal(scraped.get('tapeout_retrieval_duration_seconds_count')?.metrics[0]?.value, '2');
    assert.equal(scraped.get('tapeout_llm_time_to_first_token_seconds_count')?.metrics[0]?.value, '1');
    const answers = scraped.get('tapeout_answer_duration_seconds_count');
    assert.equal(sample(answers, { mode: 'llm' })?.value, '1');
    assert.equal(sample(answers, { mode: 'extractive' })?.value, '1');

    const replica = `${new URL(emulatorUrl).host}/v1`;
    const inference = scraped.get('tapeout_inference_requests_total');
    assert.equal(sample(inference, { service: 'llm', replica, outcome: 'ok' })?.value, '1');
    assert.equal(sample(inference, { service: 'llm', replica, outcome: 'error' })?.value, '1');
    assert.equal(sample(inference, { service: 'reranker', replica, outcome: 'ok' })?.value, '2');

    assert.ok(Number(scraped.get('tapeout_ingested_chunks_total')?.metrics[0]?.value) >= 1);
    const failures = scraped.get('tapeout_ingestion_failures_total');
    assert.equal(sample(failures, { code: 'corrupt_file', stage: 'job' })?.value, '1');
    assert.equal(sample(failures, { code: 'empty_document', stage: 'intake' })?.value, '1');
    assert.equal(sample(http, { route: '/api/conversations', method: 'GET', status: '401' })?.value, '1');
    assert.ok(!sample(http, { route: 'unrouted', status: '401' }), 'a 401 is labelled with its route');
    const queue = scraped.get('tapeout_queue_jobs');
    assert.deepEqual(queue?.metrics.map((metric) => metric.labels?.state).sort(), ['completed', 'delayed', 'failed', 'queued', 'running']);
    assert.ok(Number(sample(queue, { queue: 'tasks', state: 'completed' })?.value) >= 1);
    assert.ok(Number(sample(queue, { queue: 'tasks', state: 'failed' })?.value) >= 1);
    assert.equal(scraped.get('tapeout_socketio_connections')?.metrics[0]?.value, '1');
    for (const processMetric of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.ok(scraped.has(processMetric), processMetric);
    }

    // The Grafana dashboard charts only series this scrape has, so none of its panels stays empty for a misspelled name.
    const dashboard = JSON.parse(await readFile(path.join(import.meta.dirname, '../../../deploy/grafana/tapeout.json'), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const charted = dashboard.panels
      .flatMap((panel) => panel.targets ?? [])
      .flatMap((target) => target.expr.match(/\b(tapeout|process|nodejs)_[a-z0-9_]+/g) ?? []);
    assert.ok(charted.length >= 15);
    for (const name of new Set(charted)) assert.ok(scraped.has(name), `${name} is charted but not exported`);
  });

  it("passes promtool's own lint of the exposition after that traffic", async (t) => {
    const promtool = spawnSync('promtool', ['--version']);
    if (skipOrFail(t, promtool.status === 0, "promtool (Debian's prometheus package)")) return;
    const exposition = await (await scrape(`Bearer ${metricsToken}`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '');
  });
});
