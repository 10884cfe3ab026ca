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
      // A process started by a measured one (the embedded database's) is reported beside it.
      for (const [process, id] of [
        [name, pid],
        ...(await childProcesses(pid)).map(({ pid: child, role }) => [`${name}: ${role}`, child] as const),
      ] as const) {
        const kb = await peakKb(id);
        if (kb) this.peaks.set(process, Math.max(this.peaks.get(process) ?? 0, kb));
      }
    }
  }

  /** Peak RSS in MB per process name. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    return Object.fromEntries([...this.peaks].map(([name, kb]) => [name, Math.round(kb / 1024)]));
  }
}

async function peakKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** A process's children, with what they are: `database` for `tapeout db`. */
export async function childProcesses(pid: number): Promise<{ pid: number; role: string }[]> {
  const listed = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const children = listed.trim().split(/\s+/).filter(Boolean).map(Number);
  return Promise.all(
    children.map(async (child) => {
      const command = (await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).split('\0');
      return { pid: child, role: command.includes('db') ? 'database' : `child ${child}` };
    }),
  );
}

/** Peak resident memory (VmHWM) so far of a process and of each of its children, in MB. */
export async function peakRssMb(pid: number, name: string): Promise<Record<string, number>> {
  const result: Record<string, number> = { [name]: Math.round((await peakKb(pid)) / 1024) };
  for (const child of await childProcesses(pid)) result[`${name}: ${child.role}`] = Math.round((await peakKb(child.pid)) / 1024);
  return result;
}
