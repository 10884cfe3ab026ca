import { useEffect, useState } from 'react';
import type { PublicReadinessResponse as PublicReadiness, Readiness } from '../api/types.ts';

export type { ComponentStatus, Readiness } from '../api/types.ts';

export type ReadinessState =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; readiness: Readiness | PublicReadiness };

/**
 * Polls /readyz so the page reflects a service going down or coming back. The browser sends the
 * session cookie with it, so a signed-in admin gets each component; anybody else the overall state.
 */
export function useReadiness(intervalMs = 10_000): ReadinessState {
  const [state, setState] = useState<ReadinessState>({ kind: 'loading' });
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const response = await fetch('/readyz');
        const readiness = (await response.json()) as Readiness | PublicReadiness;
        if (!cancelled) setState({ kind: 'ready', readiness });
      } catch {
        if (!cancelled) setState({ kind: 'error', message: 'The Tapeout server cannot be reached.' });
      }
    };
    void load();
    const timer = setInterval(load, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return state;
}
