import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerDocument } from '../../../server/corpus/registerDocument.ts';
import { ingestDocumentTask, ingestDocumentTaskName, queueJobIdOf } from '../../../ingestion/tasks/IngestDocumentTask.ts';
import { IngestionWatchdog } from '../../../ingestion/watchdog/IngestionWatchdog.ts';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { silentLogger } from '../../support/testDatabase.ts';
import { createOpenCollection, startTestServices, waitFor, type TestServices } from '../../support/testRuntime.ts';

describe('IngestionWatchdog', () => {
  let runtime: TestServices;
  let collectionId: string;

  before(async () => {
    runtime = await startTestServices({ SEED_DEMO: 'false' });
    collectionId = await createOpenCollection(runtime, 'notes');
  });
  after(() => runtime?.dispose());

  /** A registered job that no queue was told about, in the given state, silent for an hour. */
  async function silentJob(filename: string, state: 'queued' | 'running'): Promise<string> {
    const bytes = Buffer.from(`# ${filename}\n\nThe scan chain stitching order follows the floorplan.\n`);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const storagePath = path.join(runtime.dataDir, `${contentHash}-${filename}`);
    await writeFile(storagePath, bytes);
    const result = await runtime.services.db.transaction((client) =>
      registerDocument(client, { collectionId, filename, source: 'cli', storagePath, contentHash, byteSize: bytes.length }),
    );
    assert.ok(result.outcome !== 'unchanged');
    await runtime.services.db.query(
      `UPDATE ingestion_jobs SET state = $2, stage = 'embedding', updated_at = now() - interval '1 hour' WHERE id = $1`,
      [result.ingestionJobId, state],
    );
    return result.ingestionJobId;
  }
  const jobRow = async (id: string) =>
    (await runtime.services.db.query<{ state: string; stage: string }>('SELECT state, stage FROM ingestion_jobs WHERE id = $1', [id]))
      .rows[0]!;

  it('queues again a silent job that the queue lost, and it completes', async () => {
    const id = await silentJob('lost.md', 'running');
    const watchdog = new IngestionWatchdog(runtime.services.db, runtime.services.queue, 1000, silentLogger);
    assert.deepEqual(await watchdog.sweep(), [id]);
    const final = await waitFor(async () => ((await jobRow(id)).state === 'completed' ? jobRow(id) : undefined), 'the re-queued job');
    assert.equal(final.stage, 'done');
    assert.deepEqual(await watchdog.sweep(), [], 'nothing left to rescue');
  });

  it('leaves to the queue the jobs it still holds, flagging a running one as stalled', async () => {
    // A queue with no worker holds its jobs without running them.
    const idleQueue = new InlineJobQueue(silentLogger);
    idleQueue.register(ingestDocumentTask(runtime.services));
    const waiting = await silentJob('waiting.md', 'queued');
    const stuck = await silentJob('stuck.md', 'running');
    for (const id of [waiting, stuck]) await idleQueue.enqueue(ingestDocumentTaskName, { ingestionJobId: id }, { jobId: queueJobIdOf(id) });
    const watchdog = new IngestionWatchdog(runtime.services.db, idleQueue, 1000, silentLogger);
    assert.deepEqual(await watchdog.sweep(), []);
    assert.deepEqual(await jobRow(waiting), { state: 'queued', stage: 'embedding' }, 'a job waiting its turn is not stalled');
    assert.deepEqual(await jobRow(stuck), {
      state: 'running',
      stage: 'stalled (no progress for 1 s); waiting for a worker to take it over',
    });
    await idleQueue.close();
  });
});
