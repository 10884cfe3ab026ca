import { readFile } from 'node:fs/promises';

/**
 * Samples the peak resident set (VmHWM, which the kernel keeps as a high-water mark) of running
 * processes, by pid; worker threads count with their process. Read it before a process exits.
 */
export class PeakRssMonitor {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: () => Record<string, number | undefined>) {
    this.timer = setInterval(() => void this.sample(), 200);
  }

  async sample(): Promise<void> {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (!pid) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (kb) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, kb));
    }
  }

  /** Peak RSS in MB per process name. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    return Object.fromEntries([...this.peaks].map(([name, kb]) => [name, Math.round(kb / 1024)]));
  }
}
