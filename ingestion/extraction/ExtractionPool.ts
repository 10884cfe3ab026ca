import os from 'node:os';
import { Piscina } from 'piscina';
import type { Logger } from '../../server/logging/logger.ts';
import type { ExtractionRequest, ExtractionResult } from './extractionWorker.ts';

export interface ExtractionLimits {
  /** A file still parsing after this long is given up (its thread is stopped). */
  timeoutMs: number;
  /** Heap limit of each extraction thread; a file that needs more fails instead of taking the process down. */
  memoryMb: number;
  threads?: number;
}

/**
 * Parsing and chunking in worker threads (piscina), so a hostile or pathological file costs a
 * bounded amount of time and memory, and the event loop that serves chat stays free.
 */
export class ExtractionPool {
  private readonly pool: Piscina<ExtractionRequest, ExtractionResult>;

  constructor(
    private readonly limits: ExtractionLimits,
    logger?: Logger,
  ) {
    const threads = limits.threads ?? Math.max(1, os.availableParallelism() - 1);
    this.pool = new Piscina({
      filename: new URL('./extractionWorker.ts', import.meta.url).href,
      // The threads load the TypeScript sources through tsx, as the main thread does.
      execArgv: ['--import', import.meta.resolve('tsx')],
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    // A thread that dies outside a task (piscina reports it here) must not take the process down.
    this.pool.on('error', (error: Error) => logger?.warn({ err: error }, 'an extraction thread stopped'));
  }

  async extract(request: ExtractionRequest): Promise<ExtractionResult> {
    try {
      return await this.pool.run(request, { signal: AbortSignal.timeout(this.limits.timeoutMs) });
    } catch (error) {
      const failure = error as Error & { code?: string };
      if (failure.name === 'AbortError' || failure.name === 'TimeoutError') {
        return {
          ok: false,
          code: 'parse_timeout',
          message: `${request.filename} took longer than ${Math.round(this.limits.timeoutMs / 1000)} s to parse and was given up.`,
        };
      }
      if (failure.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return {
          ok: false,
          code: 'parse_memory_exceeded',
          message: `${request.filename} needs more than ${this.limits.memoryMb} MB of memory to parse and was refused.`,
        };
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}
