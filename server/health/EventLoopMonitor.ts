import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
  /** The window the figures cover: since the previous report, or since start. */
  sinceMs: number;
}

const resolutionMs = 5;

/**
 * How long callbacks waited for this process's event loop: the delay every request, socket event
 * and streamed token shares. perf_hooks samples it with a timer every 5 ms and records each
 * interval whole, so the timer's own 5 ms are taken off. Each report covers the time since the
 * previous one, so an operator or a benchmark reads one period (perf_hooks skips the first
 * interval after the reset, at most a few milliseconds).
 */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  private since = performance.now();

  constructor() {
    this.histogram.enable();
  }

  report(): EventLoopDelay {
    const ms = (nanoseconds: number) => Math.max(0, Math.round((nanoseconds / 1e6 - resolutionMs) * 100) / 100);
    const delay = {
      p50: ms(this.histogram.percentile(50)),
      p99: ms(this.histogram.percentile(99)),
      max: ms(this.histogram.max),
      sinceMs: Math.round(performance.now() - this.since),
    };
    this.histogram.reset();
    this.since = performance.now();
    return delay;
  }

  stop(): void {
    this.histogram.disable();
  }
}
