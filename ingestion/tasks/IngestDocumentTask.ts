import type { CollectionLanguages } from '../../server/collections/CollectionLanguages.ts';
import type { Config } from '../../server/config/index.ts';
import type { Database } from '../../server/db/Database.ts';
import type { Inference } from '../../server/inference/createInference.ts';
import type { Embedder } from '../../server/inference/embeddings/Embedder.ts';
import type { ExtractionPool } from '../extraction/ExtractionPool.ts';
import { PermanentTaskError, type JobQueue, type TaskContext, type TaskDefinition } from '../../server/queue/JobQueue.ts';
import type { Chunk } from '../../server/corpus/Chunk.ts';
import { embeddingText } from '../chunking/embeddingText.ts';
import { failJob, loadIngestionJob, markJob, type IngestionJob, type JobUpdate } from '../../server/corpus/ingestionJobs.ts';
import { removeUnreferencedFile } from '../../server/corpus/storedFiles.ts';
import { requestTextReindexing } from './requestTextReindexing.ts';
import { requestSentenceVectors } from './requestSentenceVectors.ts';
import { swapInVersion, type ChunkVectors } from '../../server/corpus/swapInVersion.ts';
import { withStageDeadline } from './withStageDeadline.ts';
import type { JobFailureCode } from '../ingestionFailureCodes.ts';
import { ingestedChunks, ingestionFailures } from '../../server/observability/metrics.ts';
import { inSpan, recordSpan } from '../../server/observability/tracing.ts';
import type { TapeoutTasks } from '../../server/queue/tapeoutTasks.ts';

/** What ingesting a document needs (the composition root's services satisfy it). */
export type IngestDeps = {
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  inference: Pick<Inference, 'embedders' | 'sentenceEncoder'>;
  extraction: Pick<ExtractionPool, 'extract'>;
  collectionLanguages: Pick<CollectionLanguages, 'detectFromSample'>;
  /** Where stored files live (the documents service's folder). */
  documents: { filesDir: string };
  config: { ingestion: Pick<Config['ingestion'], 'stageTimeoutMs'> };
};

export type IngestDocumentData = TapeoutTasks['IngestDocumentTask'];

export const ingestDocumentTaskName = 'IngestDocumentTask' as const;
/** The queue job id of an ingestion job: enqueueing it twice adds it once. */
export const queueJobIdOf = (ingestionJobId: string) => `ingest-${ingestionJobId}`;

/**
 * Queues an ingestion job's task, once: a second call with the same job adds nothing. `retryId`
 * queues it again under a new id (the watchdog re-queuing a job whose task was lost).
 */
export function enqueueIngestion(queue: Pick<JobQueue, 'enqueue'>, ingestionJobId: string, retryId?: string): Promise<string> {
  return queue.enqueue(ingestDocumentTaskName, { ingestionJobId }, { jobId: retryId ?? queueJobIdOf(ingestionJobId) });
}
const attempts = 4;
/** Passages per embedding step; progress and the ETA are updated after each. */
const embeddingStep = 128;

/**
 * One document, from its stored file to searchable chunks: parse and chunk (in a bounded worker
 * thread), embed, and swap the new version in atomically. Idempotent and safe to retry: nothing
 * is visible until the swap commits, and a completed job is not redone. Bad files fail at once
 * with a stable code; each stage has a deadline, so a job never hangs silently.
 */
export function ingestDocumentTask(services: IngestDeps): TaskDefinition<IngestDocumentData, typeof ingestDocumentTaskName> {
  return {
    name: ingestDocumentTaskName,
    attempts,
    backoff: { type: 'exponential', delay: 2000 },
    handle: ({ ingestionJobId }, context) =>
      inSpan('ingestion.document', { 'tapeout.ingestion_job': ingestionJobId, 'tapeout.attempt': context.attempt }, () =>
        ingestOrFail(services, ingestionJobId, context),
      ),
  };
}

/** Runs one attempt; a failure is recorded on the job (for good when retrying cannot help) and rethrown to the queue. */
async function ingestOrFail(services: IngestDeps, ingestionJobId: string, context: TaskContext) {
  const job = await loadIngestionJob(services.db, ingestionJobId);
  if (!job || job.state === 'completed' || job.state === 'failed') return { skipped: job?.state ?? 'deleted' };
  const report = async (update: JobUpdate) => {
    const view = await markJob(services.db, job.id, update);
    if (view) await context.updateProgress(view);
  };
  // A job found running was interrupted (its worker stopped or stalled): say so, then redo it.
  const resumed = job.state === 'running' ? ' (resumed: the previous attempt stopped before finishing)' : '';
  if (resumed) context.logger.warn({ ingestionJobId }, 'resuming an interrupted ingestion job');
  await report({ state: 'running', stage: `parsing${resumed}`, progress: 5, error: null });
  try {
    return await ingest(services, job, context, report);
  } catch (error) {
    if (error instanceof IngestFailure) {
      ingestionFailures.inc({ code: error.code, stage: 'job' });
      const view = await failJob(services.db, job, { code: error.code, message: error.message });
      if (view) await context.updateProgress(view);
      await removeUnreferencedFile(services.db, services.documents.filesDir, job.storagePath);
      throw new PermanentTaskError(`${error.code}: ${error.message}`);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (context.attempt >= attempts) {
      // Not the file's fault: it is kept (unless nothing refers to it) so the document can be retried.
      ingestionFailures.inc({ code: 'ingestion_failed', stage: 'job' });
      const view = await failJob(services.db, job, { code: 'ingestion_failed', message }, { keepFile: true });
      if (view) await context.updateProgress(view);
      await removeUnreferencedFile(services.db, services.documents.filesDir, job.storagePath);
    } else {
      await report({ state: 'queued', stage: `retrying after: ${message}`, error: { code: 'transient_error', message } });
    }
    throw error;
  }
}

async function ingest(services: IngestDeps, job: IngestionJob, context: TaskContext, report: (update: JobUpdate) => Promise<void>) {
  const extracted = await services.extraction.extract({
    storagePath: job.storagePath,
    filename: job.filename,
    readerView: job.readerView,
    chunkSize: job.chunkSize,
    chunkOverlap: job.chunkOverlap,
  });
  if (!extracted.ok) throw new IngestFailure(extracted.code, extracted.message);
  const { chunks, timings } = extracted;
  recordSpan('ingestion.parse', timings.parseStart, timings.parseEnd, { 'tapeout.filename': job.filename });
  recordSpan('ingestion.chunk', timings.parseEnd, timings.chunkEnd, { 'tapeout.chunks': chunks.length });
  const models = [job.embeddingModel, ...(job.reembeddingModel ? [job.reembeddingModel] : [])];
  const embedders = models.map((model) => services.inference.embedders.find((embedder) => embedder.model === model));
  if (!embedders.some(Boolean)) {
    throw new IngestFailure(
      'embedding_model_mismatch',
      `The collection is embedded with ${job.embeddingModel}, but the configured embedder is ${services.embedder.model}.`,
    );
  }
  // A new collection's language is named from its first document, before that is indexed with it.
  const languageDetected =
    !job.languageKnown && (await services.collectionLanguages.detectFromSample(job.collectionId, languageSample(chunks)));
  await report({ stage: 'embedding', progress: 20 });
  const vectorSets: ChunkVectors[] = [];
  for (const embedder of embedders) {
    if (!embedder) continue;
    const embeddings = await inSpan('ingestion.embed', { 'tapeout.model': embedder.model, 'tapeout.chunks': chunks.length }, () =>
      withStageDeadline('embedding', services.config.ingestion.stageTimeoutMs, (signal) =>
        embedInSteps(chunks, (texts) => embedder.embedPassages(texts, signal), report),
      ),
    );
    vectorSets.push({ model: embedder.model, embeddings });
  }
  await report({ stage: 'storing', progress: 90, etaSeconds: null });
  const result = await inSpan('ingestion.store', { 'tapeout.chunks': chunks.length }, () =>
    services.db.transaction(async (client) => {
      // A real deadline: Postgres cancels the statement, and the transaction rolls back whole.
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(services.config.ingestion.stageTimeoutMs)}`);
      return swapInVersion(client, job, extracted, chunks, vectorSets);
    }),
  );
  if (!result.swapped) {
    await report({ state: 'completed', stage: 'superseded by a newer version', progress: 100 });
    await removeUnreferencedFile(services.db, services.documents.filesDir, job.storagePath);
    return { chunks: chunks.length, swapped: false };
  }
  services.db.noteWrites();
  ingestedChunks.inc(chunks.length);
  if (result.job) await context.updateProgress(result.job);
  await removeUnreferencedFile(services.db, services.documents.filesDir, result.supersededPath ?? undefined);
  try {
    await queueFollowUps(services, job, languageDetected);
  } catch (error) {
    // The document is served and its job completed; a retry would find nothing to do. What is
    // left is found from the database at the next start (requestSentenceVectors and
    // requestTextReindexing look for it there), so the job is not failed for it.
    context.logger.warn({ err: error, ingestionJobId: job.id }, 'follow-up work after ingestion not queued; the next start queues it');
  }
  return { chunks: chunks.length, swapped: true };
}

/** The work the new chunks need after the swap. */
async function queueFollowUps(services: IngestDeps, job: IngestionJob, languageDetected: boolean) {
  await requestSentenceVectors(services, { id: job.documentId, version: job.targetVersion, model: job.embeddingModel });
  // Documents indexed before the language was known (too short to tell) are indexed again with
  // it, and get sentence vectors if it is one the encoder knows.
  if (languageDetected) {
    await requestTextReindexing(services, job.collectionId);
    await requestSentenceVectors(services);
  }
}

/** Enough of a document's text for detectLanguage, which reads no more. */
function languageSample(chunks: Chunk[]): string {
  let sample = '';
  for (const chunk of chunks) {
    if (sample.length > 6000) break;
    sample += `${chunk.text}\n`;
  }
  return sample;
}

/** Embeds in steps, reporting progress from 20% to 90% and an ETA from the pace so far. */
async function embedInSteps(
  chunks: Chunk[],
  embed: (texts: string[]) => Promise<number[][]>,
  report: (update: JobUpdate) => Promise<void>,
): Promise<number[][]> {
  const started = Date.now();
  const embeddings: number[][] = [];
  let lastReport = started;
  for (let start = 0; start < chunks.length; start += embeddingStep) {
    embeddings.push(...(await embed(chunks.slice(start, start + embeddingStep).map(embeddingText))));
    const now = Date.now();
    if (embeddings.length < chunks.length && now - lastReport >= 500) {
      lastReport = now;
      const secondsPerPassage = (now - started) / 1000 / embeddings.length;
      await report({
        progress: 20 + Math.floor((70 * embeddings.length) / chunks.length),
        stage: `embedding (${embeddings.length} of ${chunks.length} passages)`,
        etaSeconds: Math.ceil(secondsPerPassage * (chunks.length - embeddings.length)),
      });
    }
  }
  return embeddings;
}

class IngestFailure extends Error {
  constructor(
    readonly code: JobFailureCode,
    message: string,
  ) {
    super(message);
  }
}
