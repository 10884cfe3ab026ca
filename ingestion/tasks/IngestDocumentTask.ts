import { readFile } from 'node:fs/promises';
import type { Services } from '../../server/services.ts';
import { PermanentTaskError, type TaskDefinition } from '../../server/queue/JobQueue.ts';
import { chunkDocument } from '../chunking/chunkDocument.ts';
import { failJob, loadIngestionJob, markJob, type IngestionJob } from '../intake/ingestionJobs.ts';
import { ParseError, type ParsedDocument } from '../parsing/ParsedDocument.ts';
import { parseDocument } from '../parsing/parseDocument.ts';
import { swapInVersion } from '../swapInVersion.ts';

export interface IngestDocumentData {
  ingestionJobId: string;
}

export const ingestDocumentTaskName = 'IngestDocumentTask';
const attempts = 4;

/**
 * One document, from its stored file to searchable chunks: parse, chunk, embed, and swap the
 * new version in atomically. Idempotent and safe to retry: nothing is visible until the swap
 * commits, and a completed job is not redone. Bad files fail at once with a stable code.
 */
export function ingestDocumentTask(services: Services): TaskDefinition<IngestDocumentData> {
  return {
    name: ingestDocumentTaskName,
    attempts,
    backoff: { type: 'exponential', delay: 2000 },
    async handle({ ingestionJobId }, context) {
      const job = await loadIngestionJob(services.db, ingestionJobId);
      if (!job || job.state === 'completed' || job.state === 'failed') return { skipped: job?.state ?? 'deleted' };
      await markJob(services.db, job.id, { state: 'running', stage: 'parsing', progress: 5 });
      try {
        const parsed = await parse(job);
        await markJob(services.db, job.id, { stage: 'chunking', progress: 15 });
        const chunks = await chunkDocument(parsed, { chunkSize: job.chunkSize, chunkOverlap: job.chunkOverlap });
        if (services.embedder.model !== job.embeddingModel) {
          throw new IngestFailure('embedding_model_mismatch', `The collection is embedded with ${job.embeddingModel}, but the configured embedder is ${services.embedder.model}.`);
        }
        await markJob(services.db, job.id, { stage: 'embedding', progress: 20 });
        const embeddings = await services.embedder.embedPassages(chunks.map((chunk) => chunk.text));
        await markJob(services.db, job.id, { stage: 'storing', progress: 90 });
        await context.updateProgress(90);
        const swapped = await services.db.transaction((client) => swapInVersion(client, job, parsed, chunks, embeddings, services.embedder.model));
        if (!swapped) await markJob(services.db, job.id, { state: 'completed', stage: 'superseded by a newer version', progress: 100 });
        return { chunks: chunks.length, swapped };
      } catch (error) {
        if (error instanceof IngestFailure) {
          await failJob(services.db, job, { code: error.code, message: error.message });
          throw new PermanentTaskError(`${error.code}: ${error.message}`);
        }
        const message = error instanceof Error ? error.message : String(error);
        if (context.attempt >= attempts) await failJob(services.db, job, { code: 'ingestion_failed', message });
        else await markJob(services.db, job.id, { state: 'queued', stage: `retrying after: ${message}`, error: { code: 'transient_error', message } });
        throw error;
      }
    },
  };
}

class IngestFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse(job: IngestionJob): Promise<ParsedDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(job.storagePath);
  } catch {
    throw new IngestFailure('file_missing', `The stored file for ${job.filename} is missing.`);
  }
  try {
    return await parseDocument(bytes, job.filename);
  } catch (error) {
    if (error instanceof ParseError) throw new IngestFailure(error.code, error.message);
    throw new IngestFailure('corrupt_file', `${job.filename} cannot be parsed: ${(error as Error).message}`);
  }
}
