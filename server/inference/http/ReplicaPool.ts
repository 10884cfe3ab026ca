import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { InferenceError } from './InferenceError.ts';
import { inferenceRequests } from '../../observability/metrics.ts';

export interface Replica {
  baseUrl: string;
  /** The replica in metrics: host and path, never credentials in the URL. */
  label: string;
  outstanding: number;
  breaker: CircuitBreakerPolicy;
  openedAt: number;
}

export interface ReplicaState {
  url: string;
  state: 'closed' | 'open' | 'half-open';
  outstanding: number;
}

export interface BreakerOptions {
  /** Consecutive failures that eject a replica. */
  failureThreshold: number;
  /** How long an ejected replica waits before one trial request. */
  halfOpenAfterMs: number;
}

const stateNames: Record<CircuitState, ReplicaState['state']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The replicas of one service. Requests go to the replica with the fewest outstanding requests
 * among those whose circuit is not open; a replica that fails `failureThreshold` times in a row
 * is ejected and retried after `halfOpenAfterMs` (cockatiel's circuit breaker, one per replica).
 * Only service failures count: a caller's cancellation or a 4xx never ejects a replica.
 */
export class ReplicaPool {
  private readonly replicas: Replica[];

  constructor(
    readonly service: string,
    baseUrls: string[],
    private readonly options: BreakerOptions,
  ) {
    this.replicas = baseUrls.map((baseUrl) => {
      const breaker = circuitBreaker(
        handleWhen((error) => error instanceof InferenceError && error.retryable),
        { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failureThreshold) },
      );
      const { host, pathname } = new URL(baseUrl);
      const replica: Replica = { baseUrl, label: `${host}${pathname}`, outstanding: 0, breaker, openedAt: 0 };
      breaker.onBreak(() => (replica.openedAt = Date.now()));
      return replica;
    });
  }

  /**
   * cockatiel moves an open breaker to half-open only when a call is attempted, so a replica
   * whose break has lasted long enough must be offered a call again.
   */
  private mayTry(replica: Replica): boolean {
    return replica.breaker.state !== CircuitState.Open || Date.now() - replica.openedAt >= this.options.halfOpenAfterMs;
  }

  /**
   * Runs `call` on the least-loaded available replica, through its breaker. A call that hands
   * back a long-lived result (a stream) calls `keep()` and later the release it returns, so the
   * request counts as outstanding until the stream ends.
   */
  async run<T>(call: (baseUrl: string, keep: () => () => void) => Promise<T>): Promise<T> {
    const available = this.replicas.filter((replica) => this.mayTry(replica));
    if (available.length === 0) {
      throw new InferenceError(this.service, 'every replica is failing; waiting before trying again', undefined, 'unavailable', true);
    }
    const replica = available.reduce((best, candidate) => (candidate.outstanding < best.outstanding ? candidate : best));
    replica.outstanding += 1;
    let kept = false;
    const keep = () => {
      kept = true;
      let released = false;
      return () => {
        if (!released) replica.outstanding -= 1;
        released = true;
      };
    };
    try {
      const result = await replica.breaker.execute(() => call(replica.baseUrl, keep));
      inferenceRequests.inc({ service: this.service, replica: replica.label, outcome: 'ok' });
      return result;
    } catch (error) {
      inferenceRequests.inc({
        service: this.service,
        replica: replica.label,
        outcome: error instanceof InferenceError || isBrokenCircuit(error) ? 'error' : 'cancelled',
      });
      if (error instanceof InferenceError) throw error;
      // BrokenCircuitError: the replica was ejected while we waited; another attempt picks another.
      if (isBrokenCircuit(error)) {
        throw new InferenceError(this.service, `${replica.baseUrl} is ejected`, undefined, 'unavailable', true);
      }
      throw error;
    } finally {
      if (!kept) replica.outstanding -= 1;
    }
  }

  states(): ReplicaState[] {
    return this.replicas.map((replica) => ({
      url: replica.baseUrl,
      state: stateNames[replica.breaker.state],
      outstanding: replica.outstanding,
    }));
  }

  /** True when at least one replica may take requests. */
  available(): boolean {
    return this.replicas.some((replica) => this.mayTry(replica));
  }
}

function isBrokenCircuit(error: unknown): boolean {
  return error instanceof Error && error.name === 'BrokenCircuitError';
}
