import type { ServiceEndpoint } from '../config/index.ts';

export interface ServiceProbe {
  url: string;
  ok: boolean;
  error?: string;
}

const get = (url: string, endpoint: ServiceEndpoint, timeoutMs: number) =>
  fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {} });

/**
 * Asks each replica whether it can serve: NIM answers GET {base}/health/ready with 200 once its
 * model is loaded and 503 before; then GET {base}/models must list the configured model (a
 * misspelt *_MODEL is the commonest misconfiguration). A replica that is live (/health/live) but
 * not ready is reported as loading. Servers without the NIM health routes
 * (vLLM, Ollama) are judged by /models alone.
 */
export async function probeReadiness(endpoint: ServiceEndpoint, timeoutMs = 2000): Promise<ServiceProbe[]> {
  return Promise.all(
    endpoint.baseUrls.map(async (url) => {
      try {
        const health = await get(`${url}/health/ready`, endpoint, timeoutMs);
        if (!health.ok && health.status !== 404) {
          // Live but not ready is NIM loading its model; say so rather than "down".
          const live = await get(`${url}/health/live`, endpoint, timeoutMs).then(
            (r) => r.ok,
            () => false,
          );
          return { url, ok: false, error: `health/ready answered HTTP ${health.status}${live ? ' (live: still loading its model)' : ''}` };
        }
        const models = await get(`${url}/models`, endpoint, timeoutMs);
        if (!models.ok) return { url, ok: false, error: `models answered HTTP ${models.status}` };
        const body = (await models.json()) as { data?: { id: string }[] };
        const served = (body.data ?? []).map((model) => model.id);
        if (!served.includes(endpoint.model)) {
          return { url, ok: false, error: `model ${endpoint.model} is not served here (serves: ${served.join(', ') || 'none'})` };
        }
        return { url, ok: true };
      } catch (error) {
        // fetch says only "fetch failed"; the cause names it (ECONNREFUSED, a DNS failure, a timeout).
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { url, ok: false, error: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)) };
      }
    }),
  );
}
