import type { ServiceEndpoint } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import type { Inference } from '../inference/createInference.ts';
import type { ServiceClient } from '../inference/http/ServiceClient.ts';
import { probeReadiness } from '../inference/probeReadiness.ts';
import type { JobQueue } from '../queue/JobQueue.ts';

export interface ComponentStatus {
  /** 'embedded', 'extractive' or 'inline' for the built-in fallbacks, else the remote URL(s). */
  mode: string;
  ok: boolean;
  detail?: string;
  /** Per replica of a remote service: its circuit state and requests in flight. */
  replicas?: { url: string; ready: boolean; state: string; outstanding: number }[];
}

/** What /readyz tells anybody; admins get the whole Readiness. */
export interface PublicReadiness {
  status: 'ok' | 'degraded';
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

export interface ReadinessDeps {
  db: Database;
  queue: JobQueue;
  inference: Inference;
}

/**
 * A remote service is ok when at least one replica both answers NIM's /v1/health/ready and is
 * not ejected by its circuit breaker.
 */
async function remote(endpoint: ServiceEndpoint, client: ServiceClient): Promise<ComponentStatus> {
  const probes = await probeReadiness(endpoint);
  const states = client.pool.states();
  const replicas = probes.map((probe, i) => ({
    url: probe.url,
    ready: probe.ok,
    state: states[i]!.state,
    outstanding: states[i]!.outstanding,
  }));
  const failing = probes.filter((probe) => !probe.ok);
  return {
    mode: endpoint.baseUrls.join(','),
    ok: replicas.some((replica) => replica.ready && replica.state !== 'open'),
    ...(failing.length ? { detail: failing.map((probe) => `${probe.url}: ${probe.error}`).join('; ') } : {}),
    replicas,
  };
}

export async function checkReadiness({ db, queue, inference }: ReadinessDeps): Promise<Readiness> {
  const { llm, embeddings, reranker } = inference.clients;
  const [database, queueOk, llmStatus, embeddingsStatus, rerankerStatus] = await Promise.all([
    db.ping(),
    queue.ping(),
    llm ? remote(llm.endpoint, llm) : { mode: 'extractive', ok: true, detail: 'no LLM configured: answers quote the sources' },
    embeddings
      ? remote(embeddings.endpoint, embeddings)
      : {
          mode: 'embedded',
          ok: true,
          detail: `CPU embedder ${inference.embedder.model}${inference.sentenceEncoder ? `, sentence vectors ${inference.sentenceEncoder.model}` : ''}`,
        },
    reranker
      ? remote(reranker.endpoint, reranker)
      : { mode: 'embedded', ok: true, detail: 'no reranker configured: fused ranking is kept' },
  ]);
  const components = {
    database: { mode: db.mode === 'embedded' ? 'embedded' : db.displayUrl, ok: database },
    queue: { mode: queue.mode === 'inline' ? 'inline' : queue.displayUrl, ok: queueOk },
    llm: llmStatus,
    embeddings: embeddingsStatus,
    reranker: rerankerStatus,
  };
  const allOk = Object.values(components).every((component) => component.ok);
  return { status: allOk ? 'ok' : 'degraded', components };
}
