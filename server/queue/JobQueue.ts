import type { Logger } from '../logging/logger.ts';
import type { TapeoutTasks } from './tapeoutTasks.ts';

/** Task names and their payloads; a queue's API accepts only the pairs its catalog names (`any`: a catalog of anything, for specs of the queue itself). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest catalog must accept every payload type
export type TaskCatalog = Record<string, any>;
export type { TapeoutTasks };

export interface BackoffPolicy {
  type: 'fixed' | 'exponential';
  /** Milliseconds before the first retry. */
  delay: number;
}

export interface TaskContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  /** A percentage, or an object (which should carry a `progress` percentage) for listeners that want more. */
  updateProgress(progress: number | object): Promise<void>;
  logger: Logger;
}

/**
 * A background task: one name, one handler. Handlers must be idempotent because every
 * failure is retried up to `attempts` times, on either queue implementation.
 */
export interface TaskDefinition<Data = unknown, Name extends string = string> {
  name: Name;
  attempts: number;
  backoff: BackoffPolicy;
  handle(data: Data, context: TaskContext): Promise<unknown>;
}

export type JobState = 'queued' | 'delayed' | 'running' | 'completed' | 'failed';

export interface JobSnapshot {
  id: string;
  name: string;
  state: JobState;
  attemptsMade: number;
  progress: number;
  failedReason: string | undefined;
  result: unknown;
}

/** Progress reported by a running task, delivered to listeners in every process of the deployment. */
export interface ProgressEvent {
  jobId: string;
  data: number | object;
}

export interface EnqueueOptions {
  /** Enqueueing twice with the same id adds one job: the second call returns the first. */
  jobId?: string;
  /** Runs only when no other waiting job is ready (enrichment that must not slow ingestion down). */
  background?: boolean;
}

export interface JobQueue<Tasks extends TaskCatalog = TapeoutTasks> {
  readonly mode: 'inline' | 'redis';
  /** Where the queue lives, safe to show (no password). */
  readonly displayUrl: string;
  /** The queue's name (BullMQ's queue under QUEUE_PREFIX), for metrics. */
  readonly queueName: string;
  register<Name extends keyof Tasks & string>(task: TaskDefinition<Tasks[Name], Name>): void;
  enqueue<Name extends keyof Tasks & string>(taskName: Name, data: Tasks[Name], options?: EnqueueOptions): Promise<string>;
  getJob(id: string): Promise<JobSnapshot | undefined>;
  /** Calls the listener with every task's progress, wherever the task runs. Returns an unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): Promise<() => void>;
  /** Starts processing registered tasks in this process. */
  startWorker(concurrency?: number): Promise<void>;
  /** Takes no new job in this process and waits for the running ones to finish (a stop's first step). */
  stopWorker(): Promise<void>;
  /** How many jobs are in each state now; finished ones as far as the queue keeps them. */
  jobCounts(): Promise<Record<JobState, number>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The shared retry schedule; BullMQ computes the same numbers for its built-in strategies. */
export function percentOf(progress: number | object): number | undefined {
  if (typeof progress === 'number') return progress;
  const value = (progress as { progress?: unknown }).progress;
  return typeof value === 'number' ? value : undefined;
}

export function backoffDelay(policy: BackoffPolicy, attemptsMade: number): number {
  if (policy.type === 'fixed') return policy.delay;
  return policy.delay * 2 ** Math.max(0, attemptsMade - 1);
}

/**
 * Thrown by a task for a failure that retrying cannot fix (a corrupt or unsupported file):
 * the job fails at once, on either queue.
 */
export class PermanentTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentTaskError';
  }
}

export class UnknownTaskError extends Error {
  constructor(name: string) {
    super(`no task named "${name}" is registered`);
    this.name = 'UnknownTaskError';
  }
}
