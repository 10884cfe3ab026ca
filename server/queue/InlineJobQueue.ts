import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logging/logger.ts';
import {
  backoffDelay,
  percentOf,
  PermanentTaskError,
  UnknownTaskError,
  type EnqueueOptions,
  type JobQueue,
  type JobSnapshot,
  type JobState,
  type ProgressEvent,
  type TaskCatalog,
  type TaskDefinition,
  type TapeoutTasks,
} from './JobQueue.ts';

// Finished jobs are kept for getJob() up to this many, oldest dropped first, so a long-running
// process (or an import of many thousand documents) does not accumulate them.
const finishedJobsKept = 1000;

interface InlineJob extends JobSnapshot {
  data: unknown;
  background: boolean;
}

/**
 * The queue used when REDIS_URL is unset: the same task handlers, attempts and backoff as
 * BullMQ, run in this process. Jobs live in memory, so work still queued when the process
 * stops is not resumed by the queue itself; tasks keep their durable state in Postgres.
 */
export class InlineJobQueue<Tasks extends TaskCatalog = TapeoutTasks> implements JobQueue<Tasks> {
  readonly mode = 'inline' as const;
  readonly displayUrl = 'inline';
  readonly queueName = 'tasks';
  private readonly tasks = new Map<string, TaskDefinition<never>>();
  private readonly jobs = new Map<string, InlineJob>();
  private readonly ready: string[] = [];
  private readonly readyInBackground: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly finished: string[] = [];
  private readonly progress = new EventEmitter();
  private concurrency = 0;
  private closed = false;

  constructor(private readonly logger: Logger) {}

  register<Name extends keyof Tasks & string>(task: TaskDefinition<Tasks[Name], Name>): void {
    this.tasks.set(task.name, task as TaskDefinition<never>);
  }

  async enqueue<Name extends keyof Tasks & string>(taskName: Name, data: Tasks[Name], options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new Error('queue is closed');
    if (!this.tasks.has(taskName)) throw new UnknownTaskError(taskName);
    const id = options.jobId ?? randomUUID();
    if (this.jobs.has(id)) return id;
    const background = options.background ?? false;
    this.jobs.set(id, {
      id,
      name: taskName,
      state: 'queued',
      attemptsMade: 0,
      progress: 0,
      failedReason: undefined,
      result: undefined,
      data,
      background,
    });
    (background ? this.readyInBackground : this.ready).push(id);
    this.pump();
    return id;
  }

  async getJob(id: string): Promise<JobSnapshot | undefined> {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const { data: _data, background: _background, ...snapshot } = job;
    return snapshot;
  }

  async onProgress(listener: (event: ProgressEvent) => void): Promise<() => void> {
    this.progress.on('progress', listener);
    return () => this.progress.off('progress', listener);
  }

  async startWorker(concurrency = 2): Promise<void> {
    this.concurrency = concurrency;
    this.pump();
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { queued: 0, delayed: 0, running: 0, completed: 0, failed: 0 };
    for (const job of this.jobs.values()) counts[job.state] += 1;
    return counts;
  }

  async stopWorker(): Promise<void> {
    this.concurrency = 0;
    await Promise.allSettled([...this.running]);
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private retire(id: string): void {
    this.finished.push(id);
    if (this.finished.length > finishedJobsKept) this.jobs.delete(this.finished.shift()!);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.ready.length + this.readyInBackground.length > 0) {
      const job = this.jobs.get((this.ready.shift() ?? this.readyInBackground.shift())!);
      if (!job) continue;
      const run = this.run(job).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(job: InlineJob): Promise<void> {
    const task = this.tasks.get(job.name)!;
    job.state = 'running';
    job.attemptsMade += 1;
    const logger = this.logger.child({ task: job.name, jobId: job.id, attempt: job.attemptsMade });
    try {
      job.result = await task.handle(job.data as never, {
        jobId: job.id,
        attempt: job.attemptsMade,
        logger,
        updateProgress: async (progress) => {
          job.progress = percentOf(progress) ?? job.progress;
          this.progress.emit('progress', { jobId: job.id, data: progress } satisfies ProgressEvent);
        },
      });
      job.state = 'completed';
      job.failedReason = undefined;
      this.retire(job.id);
    } catch (error) {
      job.failedReason = error instanceof Error ? error.message : String(error);
      if (job.attemptsMade >= task.attempts || error instanceof PermanentTaskError) {
        job.state = 'failed';
        logger.error({ err: error }, 'task failed for good');
        this.retire(job.id);
        return;
      }
      const delay = backoffDelay(task.backoff, job.attemptsMade);
      logger.warn({ err: error, retryInMs: delay }, 'task failed; retrying');
      job.state = 'delayed';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        job.state = 'queued';
        (job.background ? this.readyInBackground : this.ready).push(job.id);
        this.pump();
      }, delay);
      this.timers.add(timer);
    }
  }
}
