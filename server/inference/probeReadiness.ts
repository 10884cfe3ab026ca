import type { ServiceEndpoint } from '../config/index.ts';

export interface ServiceProbe {
  url: string;
  ok: boolean;
  error?: string;
}

/**
 * Asks each replica of an OpenAI/NIM-style service whether it is ready: NIM answers
 * GET {base}/health/ready with 200 once its model is loaded and 503 before.
 */
export async function probeReadiness(endpoint: ServiceEndpoint, timeoutMs = 2000): Promise<ServiceProbe[]> {
  return Promise.all(
    endpoint.baseUrls.map(async (url) => {
      try {
        const response = await fetch(`${url}/health/ready`, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
        });
        return response.ok ? { url, ok: true } : { url, ok: false, error: `HTTP ${response.status}` };
      } catch (error) {
        return { url, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
