import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { ServiceEndpoint } from '../../config/index.ts';
import { InferenceError } from './InferenceError.ts';
import { ReplicaPool, type BreakerOptions } from './ReplicaPool.ts';

export interface ServiceClientOptions extends BreakerOptions {
  timeoutMs: number;
  /** Attempts for idempotent calls, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
}

export const defaultServiceClientOptions: ServiceClientOptions = {
  timeoutMs: 30_000,
  maxAttempts: 3,
  initialBackoffMs: 200,
  failureThreshold: 3,
  halfOpenAfterMs: 5_000,
};

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Retried on another replica with jittered exponential backoff when the failure is transient. */
  idempotent: boolean;
}

/**
 * The only place Tapeout makes HTTP calls to an inference service: replicas, breakers,
 * timeouts, retries and error parsing, shared by the LLM, embedding and reranking clients.
 */
export class ServiceClient {
  readonly pool: ReplicaPool;
  readonly options: ServiceClientOptions;

  constructor(
    readonly service: string,
    readonly endpoint: ServiceEndpoint,
    options: Partial<ServiceClientOptions> = {},
  ) {
    this.options = { ...defaultServiceClientOptions, ...options };
    this.pool = new ReplicaPool(service, endpoint.baseUrls, this.options);
  }

  headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(this.endpoint.apiKey ? { authorization: `Bearer ${this.endpoint.apiKey}` } : {}),
    };
  }

  /** Runs `attempt` with retries when `idempotent`; each attempt may go to another replica. */
  async withRetries<T>(idempotent: boolean, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    if (!idempotent) return attempt();
    const policy = retry(
      handleWhen((error) => error instanceof InferenceError && error.retryable),
      {
        maxAttempts: this.options.maxAttempts - 1,
        backoff: new ExponentialBackoff({ initialDelay: this.options.initialBackoffMs, maxDelay: 5_000 }),
      },
    );
    return policy.execute(() => attempt(), signal);
  }

  /** POST (or GET without a body) and parse JSON, through a replica. */
  async json<T>(path: string, body: unknown, options: RequestOptions): Promise<T> {
    return this.withRetries(options.idempotent, options.signal, () =>
      this.pool.run(async (baseUrl) => {
        const call = this.call(baseUrl, path, options.signal, options.timeoutMs ?? this.options.timeoutMs);
        let text: string;
        let response: Response;
        try {
          response = await call.fetch(body);
          text = await call.guard(response.text());
        } finally {
          call.done();
        }
        if (!response.ok) throw InferenceError.fromResponse(this.service, response.status, text);
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new InferenceError(this.service, `${path} answered with invalid JSON`, response.status, 'invalid_response', false);
        }
      }),
    );
  }

  /**
   * One HTTP exchange with a deadline covering the response and its body. A caller's abort is
   * rethrown as is (not the service's fault); the deadline and network failures become
   * retryable InferenceErrors.
   */
  call(baseUrl: string, path: string, signal: AbortSignal | undefined, timeoutMs: number) {
    const deadline = new AbortController();
    let timer = setTimeout(() => deadline.abort(), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    const guard = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        if (deadline.signal.aborted) {
          throw new InferenceError(this.service, `${path} timed out after ${timeoutMs} ms`, undefined, 'timeout', true);
        }
        if (error instanceof InferenceError) throw error;
        const cause = (error as Error).cause ?? (error as Error).message;
        throw new InferenceError(this.service, `${baseUrl} failed: ${cause}`, undefined, 'network_error', true);
      }
    };
    return {
      signal: combined,
      guard,
      /** Resets the deadline, for example once the first token of a stream arrived. */
      extend: (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => deadline.abort(), ms);
      },
      done: () => clearTimeout(timer),
      fetch: (body: unknown) =>
        guard(
          fetch(`${baseUrl}${path}`, {
            method: body === undefined ? 'GET' : 'POST',
            headers: this.headers(),
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: combined,
          }),
        ),
    };
  }
}
