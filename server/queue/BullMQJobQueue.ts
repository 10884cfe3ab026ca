import { Queue, QueueEvents, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { redactUrl } from '../db/Database.ts';
import type { Logger } from '../logging/logger.ts';
import {
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
  percentOf,
} from './JobQueue.ts';

const stateMap: Record<string, JobState> = {
  waiting: 'queued',
  'waiting-children': 'queued',
  prioritized: 'queued',
  wait: 'queued',
  delayed: 'delayed',
  active: 'running',
  completed: 'completed',
  failed: 'failed',
};

/** The queue used when REDIS_URL is set: BullMQ, so workers can run in separate processes. */
/** Any priority puts a job behind every job without one; the lowest keeps room above it. */
const backgroundPriority = 2 ** 21 - 1;

export class BullMQJobQueue<Tasks extends TaskCatalog = TapeoutTasks> implements JobQueue<Tasks> {
  readonly mode = 'redis' as const;
  readonly displayUrl: string;
  private readonly tasks = new Map<string, TaskDefinition<never>>();
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;
  private events: QueueEvents | undefined;
  private eventsConnection: Redis | undefined;

  constructor(
    redisUrl: string,
    private readonly logger: Logger,
    readonly queueName = 'tasks',
    private readonly prefix = 'tapeout',
    /** How long a job may go without its worker's heartbeat before another worker takes it over. */
    private readonly stalledAfterMs = 30_000,
  ) {
    this.displayUrl = redactUrl(redisUrl);
    // BullMQ requires maxRetriesPerRequest: null on connections used by workers.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
    this.queue = new Queue(queueName, { connection: this.connection, prefix });
  }

  register<Name extends keyof Tasks & string>(task: TaskDefinition<Tasks[Name], Name>): void {
    this.tasks.set(task.name, task as TaskDefinition<never>);
  }

  async enqueue<Name extends keyof Tasks & string>(taskName: Name, data: Tasks[Name], options: EnqueueOptions = {}): Promise<string> {
    const task = this.tasks.get(taskName);
    if (!task) throw new UnknownTaskError(taskName);
    const jobOptions: JobsOptions = {
      attempts: task.attempts,
      backoff: { type: task.backoff.type, delay: task.backoff.delay },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      ...(options.jobId ? { jobId: options.jobId } : {}),
      // BullMQ serves jobs without a priority before any prioritised one.
      ...(options.background ? { priority: backgroundPriority } : {}),
    };
    const job = await this.queue.add(taskName, data, jobOptions);
    return job.id!;
  }

  async getJob(id: string): Promise<JobSnapshot | undefined> {
    // State first, then the job: read the other way round, a job finishing in between would be
    // reported completed with the return value of the snapshot taken before it finished.
    const rawState = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (!job) return undefined;
    const state = stateMap[rawState] ?? 'queued';
    return {
      id: job.id!,
      name: job.name,
      state,
      attemptsMade: state === 'running' ? job.attemptsMade + 1 : job.attemptsMade,
      progress: percentOf(job.progress as number | object) ?? 0,
      failedReason: job.failedReason || undefined,
      result: job.returnvalue,
    };
  }

  async startWorker(concurrency = 2): Promise<void> {
    if (this.worker) return;
    // Workers block on Redis, so they get a connection of their own; BullMQ does not close
    // connections it was handed, so close() does.
    this.workerConnection = this.connection.duplicate();
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency,
      // A killed worker's job is re-delivered once its lock expires; the lock is renewed at half this.
      lockDuration: this.stalledAfterMs,
      stalledInterval: this.stalledAfterMs,
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, task: job?.name, jobId: job?.id, attempt: job?.attemptsMade }, 'task attempt failed'),
    );
    await this.worker.waitUntilReady();
  }

  async onProgress(listener: (event: ProgressEvent) => void): Promise<() => void> {
    // Progress travels through Redis, so a server sees the progress of jobs run by any worker process.
    if (!this.events) {
      this.eventsConnection = this.connection.duplicate();
      this.events = new QueueEvents(this.queueName, { connection: this.eventsConnection, prefix: this.prefix });
      this.events.on('error', (error) => this.logger.warn({ err: error }, 'queue events error'));
      await this.events.waitUntilReady();
    }
    const handler = ({ jobId, data }: { jobId: string; data: unknown }) => listener({ jobId, data: data as number | object });
    this.events.on('progress', handler);
    return () => void this.events?.off('progress', handler);
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed');
    return {
      queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
      delayed: counts.delayed ?? 0,
      running: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async stopWorker(): Promise<void> {
    // BullMQ's close takes no new job and waits for the active ones, which complete normally.
    await this.worker?.close();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.events?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.eventsConnection?.disconnect();
    this.connection.disconnect();
  }

  private async process(job: Job): Promise<unknown> {
    const task = this.tasks.get(job.name);
    if (!task) throw new UnknownTaskError(job.name);
    const attempt = job.attemptsMade + 1;
    try {
      return await task.handle(job.data as never, {
        jobId: job.id!,
        attempt,
        logger: this.logger.child({ task: job.name, jobId: job.id, attempt }),
        updateProgress: (progress) => job.updateProgress(progress),
      });
    } catch (error) {
      // BullMQ's own signal for "do not retry".
      if (error instanceof PermanentTaskError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
