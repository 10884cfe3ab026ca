import type { Principal } from '../../server/auth/Principal.ts';
import { ingestDocumentTask } from '../../ingestion/tasks/IngestDocumentTask.ts';
import { syncSourceTask } from '../../server/sources/SyncSourceTask.ts';
import { findRun } from '../../server/sources/sourceRepository.ts';
import type { TaskHarness } from './taskHarness.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

/** Runs a source's queued sync, then every ingestion it queued, as the worker would; the finished run. */
export async function syncAndIngest(harness: TaskHarness, runId: string) {
  await syncSourceTask(harness.services).handle({ runId }, harness.context());
  const { rows } = await harness.services.db.query<{ id: string }>(
    `SELECT id FROM ingestion_jobs WHERE state = 'queued' ORDER BY created_at`,
  );
  for (const job of rows) await ingestDocumentTask(harness.services).handle({ ingestionJobId: job.id }, harness.context());
  return (await findRun(harness.services.db, runId))!;
}

/** The citations an assistant's turn would show anyone for a question. */
export async function citationsFor(harness: TaskHarness, assistant: string, question: string) {
  const prepared = await harness.services.answerer.prepare(everyone, { assistant, messages: [{ role: 'user', content: question }] });
  return 'citations' in prepared ? prepared.citations : [];
}
