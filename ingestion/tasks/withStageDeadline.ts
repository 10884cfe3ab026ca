/** A stage that ran past its deadline; transient, so the job is retried and says why. */
export class StageTimeoutError extends Error {
  constructor(stage: string, timeoutMs: number) {
    super(`the ${stage} stage made no progress for ${Math.round(timeoutMs / 1000)} s and was abandoned`);
    this.name = 'StageTimeoutError';
  }
}

/**
 * Races a stage against its deadline so a job never hangs silently in one stage. The losing
 * work is not cancelled here: callers pass `signal` on to what they run, and anything it still
 * finishes is discarded because nothing is written outside the final swap transaction.
 */
export async function withStageDeadline<T>(stage: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StageTimeoutError(stage, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
