import type { Config, ServiceEndpoint } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import type { Embedder } from '../inference/embeddings/Embedder.ts';
import { probeReadiness } from '../inference/probeReadiness.ts';
import type { JobQueue } from '../queue/JobQueue.ts';

export interface ComponentStatus {
  /** 'embedded', 'extractive' or 'inline' for the built-in fallbacks, else the remote URL(s). */
  mode: string;
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  status: 'ok' | 'degraded';
  components: {
    database: ComponentStatus;
    queue: ComponentStatus;
    llm: ComponentStatus;
    embeddings: ComponentStatus;
    reranker: ComponentStatus;
  };
}

async function remote(endpoint: ServiceEndpoint): Promise<ComponentStatus> {
  const probes = await probeReadiness(endpoint);
  const failing = probes.filter((probe) => !probe.ok);
  return {
    mode: endpoint.baseUrls.join(','),
    // One ready replica is enough to serve.
    ok: failing.length < probes.length,
    ...(failing.length ? { detail: failing.map((probe) => `${probe.url}: ${probe.error}`).join('; ') } : {}),
  };
}

interface ReadinessDeps {
  config: Config;
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
}

/** Reports the embedder that really writes the vectors, whatever is configured. */
async function embeddingsStatus({ config, embedder }: ReadinessDeps): Promise<ComponentStatus> {
  if (embedder.mode !== 'embedded') return remote(config.embeddings!);
  const detail = config.embeddings
    ? `EMBEDDINGS_BASE_URL is set but not used yet: this version embeds with the CPU embedder ${embedder.model}`
    : `CPU embedder ${embedder.model}`;
  return { mode: 'embedded', ok: true, detail };
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const { config, db, queue } = deps;
  const [database, queueOk, llm, embeddings, reranker] = await Promise.all([
    db.ping(),
    queue.ping(),
    config.llm ? remote(config.llm) : { mode: 'extractive', ok: true, detail: 'no LLM configured: answers are extractive' },
    embeddingsStatus(deps),
    config.reranker ? remote(config.reranker) : { mode: 'embedded', ok: true, detail: 'no reranker configured: fused ranking is kept' },
  ]);
  const components = {
    database: { mode: db.mode === 'embedded' ? 'embedded' : db.displayUrl, ok: database },
    queue: { mode: queue.mode === 'inline' ? 'inline' : queue.displayUrl, ok: queueOk },
    llm,
    embeddings,
    reranker,
  };
  const allOk = Object.values(components).every((component) => component.ok);
  return { status: allOk ? 'ok' : 'degraded', components };
}
