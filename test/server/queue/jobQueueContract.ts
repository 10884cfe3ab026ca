import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PermanentTaskError, type JobQueue, type JobSnapshot, type TaskCatalog } from '../../../server/queue/JobQueue.ts';

/** The contract's own tasks ('Double', 'Report', …), not Tapeout's. */
type AnyQueue = JobQueue<TaskCatalog>;

async function waitForState(queue: AnyQueue, id: string, states: JobSnapshot['state'][], timeoutMs = 15_000): Promise<JobSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    if (job && states.includes(job.state)) return job;
    if (Date.now() > deadline) assert.fail(`job ${id} is ${job?.state ?? 'missing'}, expected ${states.join(' or ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The behaviour every JobQueue must have, so that tasks written against the interface act the
 * same on BullMQ and in-process. `makeQueue` returns a fresh, empty, started queue.
 */
export function jobQueueContract(makeQueue: (register: (queue: AnyQueue) => void) => Promise<AnyQueue>) {
  it('runs a task with its data and reports progress and result', async () => {
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Double',
        attempts: 1,
        backoff: { type: 'fixed', delay: 10 },
        async handle({ n }, context) {
          await context.updateProgress(50);
          return n * 2;
        },
      }),
    );
    try {
      const id = await queue.enqueue('Double', { n: 21 });
      const job = await waitForState(queue, id, ['completed', 'failed']);
      assert.equal(job.state, 'completed');
      assert.equal(job.result, 42);
      assert.equal(job.progress, 50);
      assert.equal(job.attemptsMade, 1);
    } finally {
      await queue.close();
    }
  });

  it('delivers each progress report, number or object, to progress listeners', async () => {
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Report',
        attempts: 1,
        backoff: { type: 'fixed', delay: 10 },
        async handle(_data, context) {
          await context.updateProgress({ progress: 30, stage: 'parsing' });
          await context.updateProgress(60);
          return 'done';
        },
      }),
    );
    const events: unknown[] = [];
    const unsubscribe = await queue.onProgress((event) => events.push(event));
    try {
      const id = await queue.enqueue('Report', {});
      const job = await waitForState(queue, id, ['completed', 'failed']);
      assert.equal(job.progress, 60);
      const deadline = Date.now() + 5000;
      while (events.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(events, [
        { jobId: id, data: { progress: 30, stage: 'parsing' } },
        { jobId: id, data: 60 },
      ]);
    } finally {
      unsubscribe();
      await queue.close();
    }
  });

  it('retries a failing task with exponential backoff until it succeeds', async () => {
    const attemptTimes: number[] = [];
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Flaky',
        attempts: 3,
        backoff: { type: 'exponential', delay: 200 },
        async handle(_data, context) {
          attemptTimes.push(Date.now());
          if (context.attempt < 3) throw new Error(`transient failure ${context.attempt}`);
          return 'ok';
        },
      }),
    );
    try {
      const id = await queue.enqueue('Flaky', {});
      const job = await waitForState(queue, id, ['completed', 'failed']);
      assert.equal(job.state, 'completed');
      assert.equal(job.attemptsMade, 3);
      // Delays of 200 ms then 400 ms (BullMQ's exponential strategy: delay * 2^(attempt-1)).
      assert.ok(attemptTimes[1]! - attemptTimes[0]! >= 190, `first retry after ${attemptTimes[1]! - attemptTimes[0]!} ms`);
      assert.ok(attemptTimes[2]! - attemptTimes[1]! >= 390, `second retry after ${attemptTimes[2]! - attemptTimes[1]!} ms`);
    } finally {
      await queue.close();
    }
  });

  it('marks a task failed with its reason once attempts are exhausted', async () => {
    let runs = 0;
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Broken',
        attempts: 2,
        backoff: { type: 'fixed', delay: 50 },
        async handle() {
          runs += 1;
          throw new Error('the file has no text layer');
        },
      }),
    );
    try {
      const id = await queue.enqueue('Broken', {});
      const job = await waitForState(queue, id, ['failed']);
      assert.equal(job.failedReason, 'the file has no text layer');
      assert.equal(runs, 2);
    } finally {
      await queue.close();
    }
  });

  it('fails a permanent failure at once, without retrying', async () => {
    let runs = 0;
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Corrupt',
        attempts: 5,
        backoff: { type: 'fixed', delay: 50 },
        async handle() {
          runs += 1;
          throw new PermanentTaskError('the PDF cannot be read');
        },
      }),
    );
    try {
      const id = await queue.enqueue('Corrupt', {});
      const job = await waitForState(queue, id, ['failed']);
      assert.equal(job.failedReason, 'the PDF cannot be read');
      assert.equal(runs, 1);
    } finally {
      await queue.close();
    }
  });

  it('adds one job for two enqueues with the same job id', async () => {
    let runs = 0;
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Once',
        attempts: 1,
        backoff: { type: 'fixed', delay: 10 },
        async handle() {
          runs += 1;
        },
      }),
    );
    try {
      const first = await queue.enqueue('Once', {}, { jobId: 'same-document' });
      const second = await queue.enqueue('Once', {}, { jobId: 'same-document' });
      assert.equal(first, second);
      await waitForState(queue, first, ['completed']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(runs, 1);
    } finally {
      await queue.close();
    }
  });

  it('starts a background job only when no other waiting job is ready', async () => {
    const started: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Record',
        attempts: 1,
        backoff: { type: 'fixed', delay: 10 },
        async handle({ name }) {
          started.push(name);
          if (name.startsWith('hold')) await held;
        },
      }),
    );
    try {
      const holds = [await queue.enqueue('Record', { name: 'hold-1' }), await queue.enqueue('Record', { name: 'hold-2' })];
      for (const id of holds) await waitForState(queue, id, ['running']);
      const background = await queue.enqueue('Record', { name: 'background' }, { background: true });
      const foreground = [await queue.enqueue('Record', { name: 'first' }), await queue.enqueue('Record', { name: 'second' })];
      release();
      for (const id of [background, ...foreground]) await waitForState(queue, id, ['completed']);
      assert.deepEqual(started.slice(2), ['first', 'second', 'background']);
    } finally {
      release();
      await queue.close();
    }
  });

  it('refuses to enqueue a task nobody registered', async () => {
    const queue = await makeQueue(() => {});
    try {
      await assert.rejects(queue.enqueue('Nope', {}), /no task named "Nope"/);
    } finally {
      await queue.close();
    }
  });

  it('stops taking jobs when its worker stops, and lets the running one finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = await makeQueue((q) =>
      q.register({
        name: 'Slow',
        attempts: 1,
        backoff: { type: 'fixed', delay: 10 },
        async handle({ n }) {
          await gate;
          return n;
        },
      }),
    );
    try {
      const running = await queue.enqueue('Slow', { n: 1 });
      await waitForState(queue, running, ['running']);
      const stopped = queue.stopWorker();
      release();
      await stopped;
      assert.equal((await queue.getJob(running))?.state, 'completed');
      const later = await queue.enqueue('Slow', { n: 2 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await queue.getJob(later))?.state, 'queued', 'left for another worker, or the next start');
    } finally {
      await queue.close();
    }
  });
}
