import type { Database } from '../../server/db/Database.ts';
import type { Logger } from '../../server/logging/logger.ts';
import type { JobQueue } from '../../server/queue/JobQueue.ts';
import { everyOnOneInstance, type SchedulerLeases } from '../../server/scheduling/SchedulerLeases.ts';
import { markJob, silentJobs } from '../../server/corpus/ingestionJobs.ts';
import { enqueueIngestion, queueJobIdOf } from '../tasks/IngestDocumentTask.ts';

/**
 * Finds ingestion jobs that made no progress for longer than the stage timeout, so nothing
 * stalls silently. A job the queue no longer holds (lost with a stopped process, or finished in
 * the queue without finishing in the database) is queued again; a job the queue still holds is
 * left to it (BullMQ hands a dead worker's job to another) but says why it is waiting.
 */
export class IngestionWatchdog {
  private stopTicking: (() => void) | undefined;
  /** Queue ids this watchdog gave re-queued jobs, so they are recognised while they wait. */
  private readonly retries = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly stalledAfterMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Sweeps periodically on one instance of several (the lease's holder): two would each queue a
   * stalled job again, since the ids a watchdog gave its retries live in its own memory.
   */
  start(leases: SchedulerLeases): void {
    const every = Math.min(60_000, Math.max(1000, this.stalledAfterMs / 2));
    this.stopTicking = everyOnOneInstance(
      leases,
      'ingestion-watchdog',
      every,
      () => this.sweep(),
      (error) => this.logger.warn({ err: error }, 'ingestion watchdog sweep failed'),
    );
  }

  stop(): void {
    this.stopTicking?.();
  }

  /** One pass; returns the ids of the jobs it queued again. */
  async sweep(): Promise<string[]> {
    const rows = await silentJobs(this.db, this.stalledAfterMs);
    const requeued: string[] = [];
    const silentFor = `no progress for ${Math.round(this.stalledAfterMs / 1000)} s`;
    for (const job of rows) {
      if (await this.heldByQueue(job.id)) {
        // Queued and held: simply waiting its turn. Running and silent: its worker stalled or died.
        if (job.state === 'running' && !job.stage.startsWith('stalled')) {
          await markJob(this.db, job.id, { stage: `stalled (${silentFor}); waiting for a worker to take it over` });
        }
        continue;
      }
      // A new queue id: the old one may still be held by the queue as finished.
      const retryId = `${queueJobIdOf(job.id)}-retry-${job.attempts}-${Date.now()}`;
      await markJob(this.db, job.id, { state: 'queued', stage: `re-queued after it stalled (${silentFor})` });
      await enqueueIngestion(this.queue, job.id, retryId);
      this.retries.set(job.id, retryId);
      this.logger.warn({ ingestionJobId: job.id, stage: job.stage }, 'ingestion job stalled; queued again');
      requeued.push(job.id);
    }
    return requeued;
  }

  private async heldByQueue(ingestionJobId: string): Promise<boolean> {
    for (const id of [queueJobIdOf(ingestionJobId), this.retries.get(ingestionJobId)]) {
      const held = id ? await this.queue.getJob(id) : undefined;
      if (held && held.state !== 'completed' && held.state !== 'failed') return true;
    }
    this.retries.delete(ingestionJobId);
    return false;
  }
}
