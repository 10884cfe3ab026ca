import type { EventLoopDelay } from '../health/EventLoopMonitor.ts';
import type { ComponentStatus, Readiness } from '../health/readiness.ts';

/** This process's health, for admins. */
export interface ProcessHealth {
  eventLoopDelayMs: EventLoopDelay;
  rssMb: number;
  heapUsedMb: number;
}

/** What GET /readyz tells anybody (a load balancer): serving, and whether inference is degraded. */
export interface PublicReadinessResponse {
  status: 'ok' | 'degraded' | 'shutting down';
}

function presentComponent(component: ComponentStatus) {
  return {
    mode: component.mode,
    ok: component.ok,
    ...(component.detail !== undefined ? { detail: component.detail } : {}),
    ...(component.replicas ? { replicas: component.replicas.map((replica) => ({ ...replica })) } : {}),
  };
}

export function presentReadiness(readiness: Readiness, process: ProcessHealth) {
  const { database, queue, llm, embeddings, reranker } = readiness.components;
  return {
    status: readiness.status,
    components: {
      database: presentComponent(database),
      queue: presentComponent(queue),
      llm: presentComponent(llm),
      embeddings: presentComponent(embeddings),
      reranker: presentComponent(reranker),
    },
    process,
  };
}

export type ComponentStatusResponse = ReturnType<typeof presentComponent>;

/** What GET /readyz tells a signed-in admin: each component, and this process's health. */
export type ReadinessResponse = ReturnType<typeof presentReadiness>;
