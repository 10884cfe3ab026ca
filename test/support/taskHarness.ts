import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ingestDocumentTask } from '../../ingestion/tasks/IngestDocumentTask.ts';
import { registerDocument, type IntakeResult } from '../../server/corpus/registerDocument.ts';
import { PermanentTaskError, type TaskContext } from '../../server/queue/JobQueue.ts';
import { registerTasks } from '../../server/registerTasks.ts';
import { closeServices, createServices, type Services } from '../../server/services.ts';
import { silentLogger } from './testDatabase.ts';
import { prepareDataDir } from './testRuntime.ts';

export interface TaskHarness {
  services: Services;
  dataDir: string;
  /** A task's context for one run: its progress reports are kept in `progress`. */
  context(jobId?: string): TaskContext & { progress: unknown[] };
  /** Stores a file and registers it in a collection, as an upload does, and runs its ingestion task's handler to the end. */
  ingest(collectionId: string, filename: string, content: string | Buffer): Promise<{ result: IntakeResult; failure?: Error }>;
  dispose(): Promise<void>;
}

/**
 * Tapeout's services over a migrated database with every task registered and no worker: a task
 * spec builds the task from them and calls its handler, as outline's task.perform() and immich's
 * medium tests do, instead of booting a runtime and polling. What a handler queues stays queued
 * (the worker never starts), so each spec runs exactly the handlers it names.
 */
export async function startTaskHarness(env: Record<string, string> = {}): Promise<TaskHarness> {
  const { config, dataDir } = await prepareDataDir({ SEED_DEMO: 'false', ...env });
  const services = await createServices(config, silentLogger);
  registerTasks(services);
  const context = (jobId = 'spec') => {
    const progress: unknown[] = [];
    return {
      jobId,
      attempt: 1,
      logger: silentLogger,
      progress,
      updateProgress: async (update: number | object) => void progress.push(update),
    };
  };
  return {
    services,
    dataDir,
    context,
    async ingest(collectionId, filename, content) {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      await mkdir(services.documents.filesDir, { recursive: true });
      const storagePath = path.join(services.documents.filesDir, `${contentHash}-${filename}`);
      await writeFile(storagePath, bytes);
      const result = await services.db.transaction((client) =>
        registerDocument(client, { collectionId, filename, source: 'cli', storagePath, contentHash, byteSize: bytes.length }),
      );
      if (result.outcome === 'unchanged') return { result };
      try {
        await ingestDocumentTask(services).handle({ ingestionJobId: result.ingestionJobId }, context());
        return { result };
      } catch (error) {
        // A bad file fails for good: the handler records it on the job and tells the queue not to retry.
        if (error instanceof PermanentTaskError) return { result, failure: error };
        throw error;
      }
    },
    async dispose() {
      await closeServices(services);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
