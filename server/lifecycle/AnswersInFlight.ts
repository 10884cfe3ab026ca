import { ShuttingDownError } from '../errors.ts';

/** What an answer cut off by a shutdown says, stored with it and shown to the asker. */
export const shutdownNotice = 'The server restarted while answering; the answer above is incomplete. Ask again to get a full answer.';

export interface AnswerInFlight {
  /** Aborts when the shutdown's grace period ends (combine it with the asker's own signal). */
  signal: AbortSignal;
  /** True once the shutdown cut this answer off (not the asker). */
  cutOffByShutdown(): boolean;
  end(): void;
}

export interface DrainReport {
  /** Answers that finished within the grace period. */
  finished: number;
  /** Answers cut off when it ended. */
  cutOff: number;
}

/**
 * The answers this process is streaming, so SIGTERM can drain them: once draining starts no new
 * answer begins (ShuttingDownError, 503), the running ones get `graceMs` to finish, and those
 * still running are then aborted; each stores what it streamed with `shutdownNotice`.
 */
export class AnswersInFlight {
  private readonly running = new Set<{ controller: AbortController; settled: Promise<void>; settle: () => void }>();
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get count(): number {
    return this.running.size;
  }

  /** Registers an answer about to stream; refused while draining. */
  begin(): AnswerInFlight {
    if (this.draining) throw new ShuttingDownError();
    const controller = new AbortController();
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const entry = { controller, settled, settle };
    this.running.add(entry);
    return {
      signal: controller.signal,
      cutOffByShutdown: () => controller.signal.aborted,
      end: () => {
        this.running.delete(entry);
        settle();
      },
    };
  }

  /** Stops new answers, waits up to `graceMs` for the running ones, then cuts off the rest and waits for them to store their ends. */
  async drain(graceMs: number): Promise<DrainReport> {
    this.drainingSince ??= Date.now();
    const atStart = this.running.size;
    const all = () => Promise.all([...this.running].map((entry) => entry.settled));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const cutOff = this.running.size;
    for (const entry of this.running) entry.controller.abort(new ShuttingDownError());
    // Cut-off answers store what they streamed; that is quick, but a dead database must not hold the exit.
    await Promise.race([all(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
    return { finished: atStart - cutOff, cutOff };
  }
}
