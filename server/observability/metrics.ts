import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue, JobState } from '../queue/JobQueue.ts';

/**
 * Tapeout's Prometheus metrics, one registry per process (prom-client's model): every runtime in
 * the process adds to the same series, the way every request of an instance does. What the
 * gauges read (queues, socket counts) is registered by whoever owns it and removed on close.
 */
export const metricsRegistry = new Registry();

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'tapeout_http_request_duration_seconds',
  help: 'HTTP requests by route pattern (not the raw path), method and status; streamed answers count until their stream ends.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: seconds,
  registers,
});

export const retrievalDuration = new Histogram({
  name: 'tapeout_retrieval_duration_seconds',
  help: 'Retrieval for one question: every search, fusion, reranking and reading the passages.',
  buckets: seconds,
  registers,
});

export const llmTimeToFirstToken = new Histogram({
  name: 'tapeout_llm_time_to_first_token_seconds',
  help: 'From sending the prompt to the LLM until its first token arrived.',
  buckets: seconds,
  registers,
});

export const answerDuration = new Histogram({
  name: 'tapeout_answer_duration_seconds',
  help: 'From the question to the last token of its answer, by how the answer was produced.',
  labelNames: ['mode'] as const,
  buckets: seconds,
  registers,
});

export const ingestedChunks = new Counter({
  name: 'tapeout_ingested_chunks_total',
  help: 'Chunks stored by ingestion (a document version swapped in) in this process.',
  registers,
});

export const ingestionFailures = new Counter({
  name: 'tapeout_ingestion_failures_total',
  help: 'Files that did not become documents, by error code and stage: refused at intake (an upload answered at once) or a job that failed for good.',
  labelNames: ['code', 'stage'] as const,
  registers,
});
// Every known failure gets its series at start-up: ingestion/ingestionFailureCodes.ts, which names them.

/** Counts the files an upload refused at once (too large, not text, an unsupported type). */
export function countIntakeRefusals(refusals: { error: { code: string } }[]): void {
  for (const refusal of refusals) ingestionFailures.inc({ code: refusal.error.code, stage: 'intake' });
}

export const inferenceRequests = new Counter({
  name: 'tapeout_inference_requests_total',
  help: 'Calls to inference microservices by service, replica and outcome (ok, error, cancelled).',
  labelNames: ['service', 'replica', 'outcome'] as const,
  registers,
});

const queueSources = new Set<JobQueue>();
const queueStates: JobState[] = ['queued', 'delayed', 'running', 'completed', 'failed'];

new Gauge({
  name: 'tapeout_queue_jobs',
  help: 'Jobs in the task queue by state, as the queue reports them when scraped (finished jobs: those the queue keeps).',
  labelNames: ['queue', 'state'] as const,
  registers,
  async collect() {
    this.reset();
    for (const queue of queueSources) {
      const counts = await queue.jobCounts().catch(() => undefined);
      if (!counts) continue;
      for (const state of queueStates) this.inc({ queue: queue.queueName, state }, counts[state]);
    }
  },
});

const socketSources = new Set<() => number>();

new Gauge({
  name: 'tapeout_socketio_connections',
  help: 'socket.io connections open to this process.',
  registers,
  collect() {
    let open = 0;
    for (const count of socketSources) open += count();
    this.set(open);
  },
});

export const mcpToolCalls = new Counter({
  name: 'tapeout_mcp_tool_calls_total',
  help: "Tools called through Tapeout's MCP server (/mcp), by tool and outcome (ok, error).",
  labelNames: ['tool', 'outcome'] as const,
  registers,
});

const mcpSessionSources = new Set<() => number>();

new Gauge({
  name: 'tapeout_mcp_sessions',
  help: 'MCP sessions (Streamable HTTP) open on this process.',
  registers,
  collect() {
    let open = 0;
    for (const count of mcpSessionSources) open += count();
    this.set(open);
  },
});

/** Adds this server's MCP sessions to the gauge; returns the function that stops it. */
export function reportMcpSessions(count: () => number): () => void {
  mcpSessionSources.add(count);
  return () => mcpSessionSources.delete(count);
}

/** Reports this queue's job counts at every scrape; returns the function that stops it. */
export function reportQueue(queue: JobQueue): () => void {
  queueSources.add(queue);
  return () => queueSources.delete(queue);
}

/** Adds this server's socket.io connections to the gauge; returns the function that stops it. */
export function reportSocketConnections(count: () => number): () => void {
  socketSources.add(count);
  return () => socketSources.delete(count);
}

let processMetricsOn = false;

/** prom-client's default process metrics (CPU, memory, event loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry });
  // Gauges named *_total read as counters (promtool flags them); each is the sum of the same
  // gauge without the suffix, which keeps its `type` label (nodejs_active_handles{type}).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    metricsRegistry.removeSingleMetric(name);
}

/** Seconds since `startedAt` (a performance.now() reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
