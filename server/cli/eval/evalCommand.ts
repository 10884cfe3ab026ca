import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { importJsonl } from '../../../ingestion/intake/importJsonl.ts';
import { sentenceVectorBacklog, type SentenceVectorRequestDeps } from '../../../ingestion/tasks/requestSentenceVectors.ts';
import { registerTasks } from '../../registerTasks.ts';
import type { Principal } from '../../auth/Principal.ts';
import type { Config } from '../../config/index.ts';
import { externalIds } from '../../corpus/documentRepository.ts';
import { loadBeirDataset } from '../../evaluation/beirDataset.ts';
import { formatTrecRun, scoreRun, type RankedDocument } from '../../evaluation/retrievalMetrics.ts';
import type { Logger } from '../../logging/logger.ts';
import { closeServices, createServices, type Services } from '../../services.ts';
import { systemActor } from '../../access/systemActor.ts';

export interface EvalOptions {
  runFile?: string;
  /** Keep the throwaway data directory (for inspection). */
  keep?: boolean;
}

const everyone: Principal = { userId: null, email: null, role: 'member' };
const rankedPerQuery = 100;
const sentenceVectorStallMs = 120_000;

/**
 * `tapeout eval <dir>`: a BEIR folder's corpus goes into a throwaway embedded database through
 * the real ingestion pipeline; each query goes through the retrieval path of a default assistant
 * (with whichever inference services are configured); documents are ranked by their best chunk.
 * Prints the scores as JSON and optionally writes a TREC run file.
 */
export async function evalCommand(dir: string, options: EvalOptions, config: Config, logger: Logger): Promise<number> {
  const dataset = await loadBeirDataset(dir);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-eval-'));
  const services = await createServices({ ...config, dataDir, databaseUrl: undefined, redisUrl: undefined, seedDemo: false }, logger);
  try {
    registerTasks(services);
    await services.queue.startWorker();
    const started = performance.now();
    const collectionId = await ingestCorpus(services, dataset.corpusFile);
    const ingestSeconds = (performance.now() - started) / 1000;
    const run = await runQueries(services, collectionId, dataset.queries);
    if (options.runFile) await writeFile(options.runFile, formatTrecRun(run));
    const scores = scoreRun(run, dataset.qrels, new Set(dataset.queries.map((query) => query.id)));
    if (scores.skippedWithoutText > 0)
      console.error(`Skipped ${scores.skippedWithoutText} judged queries that queries.jsonl has no text for.`);
    console.log(
      JSON.stringify(
        {
          dataset: path.basename(path.resolve(dir)),
          ...scores,
          embedder: services.embedder.model,
          sentenceEncoder: services.inference.sentenceEncoder?.model ?? null,
          reranker: services.config.reranker?.model ?? null,
          ingestSeconds: Math.round(ingestSeconds),
        },
        null,
        2,
      ),
    );
    return 0;
  } finally {
    await closeServices(services);
    if (!options.keep) await rm(dataDir, { recursive: true, force: true });
    else console.error(`Kept the evaluation database in ${dataDir}.`);
  }
}

/** What loading the corpus uses: creating the collection and its assistant, importing, and waiting for its vectors. */
type EvalCorpusDeps = Pick<Services, 'assistants' | 'collections' | 'documents' | 'embedder'> &
  Parameters<typeof importJsonl>[0] &
  SentenceVectorRequestDeps;

async function ingestCorpus(services: EvalCorpusDeps, corpusFile: string): Promise<string> {
  const collection = await services.collections.create(systemActor, {
    slug: 'eval',
    name: 'Evaluation corpus',
    embeddingModel: services.embedder.model,
    embeddingDimension: await services.embedder.dimension(),
  });
  await services.collections.grantToGroup(systemActor, collection.id, 'everyone');
  await services.assistants.create(systemActor, {
    slug: 'eval',
    name: 'Evaluation',
    systemPrompt: 'Answer from the sources.',
    collectionIds: [collection.id],
  });
  const summary = await importJsonl(services, 'eval', corpusFile);
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'ingesting {bar} {value}/{total} | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic)
    : undefined;
  bar?.start(summary.jobIds.length, 0);
  for (const jobId of summary.jobIds) {
    for (;;) {
      const job = await services.documents.findJob(jobId);
      if (job.state === 'completed' || job.state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    bar?.increment();
  }
  bar?.stop();
  await awaitSentenceVectors(services, collection.id);
  return collection.id;
}

/** Retrieval is measured as it serves once the background sentence vectors are in. */
async function awaitSentenceVectors(services: SentenceVectorRequestDeps, collectionId: string): Promise<void> {
  const total = await sentenceVectorBacklog(services, collectionId);
  if (total === 0) return;
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: 'sentence vectors {bar} {value}/{total} | ETA {eta_formatted}', stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0);
  let progressedAt = Date.now();
  for (let left = total, previous = total; left > 0; previous = left, left = await sentenceVectorBacklog(services, collectionId)) {
    if (left < previous) progressedAt = Date.now();
    // A task that failed for good leaves its chunks without vectors: say so instead of waiting forever.
    if (Date.now() - progressedAt > sentenceVectorStallMs)
      throw new Error(`Sentence vectors stopped progressing with ${left} chunks left; see the log.`);
    bar?.update(total - left);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  bar?.stop();
}

/** Each query through the default assistant's retrieval, widened to rank 100 documents. */
async function runQueries(
  services: Pick<Services, 'assistants' | 'db' | 'retriever'>,
  collectionId: string,
  queries: { id: string; text: string }[],
): Promise<Map<string, RankedDocument[]>> {
  const assistant = (await services.assistants.findForAnswering('eval'))!;
  const candidates = Math.max(assistant.retrieval.candidates ?? 100, 3 * rankedPerQuery);
  const run = new Map<string, RankedDocument[]>();
  const externalIdOf = await externalIds(services.db, collectionId);
  for (const query of queries) {
    const passages = await services.retriever.retrieve(everyone, query.text, {
      collectionIds: assistant.collectionIds,
      candidates,
      topK: candidates,
    });
    const ranked: RankedDocument[] = [];
    const seen = new Set<string>();
    for (const passage of passages) {
      if (seen.has(passage.documentId)) continue;
      seen.add(passage.documentId);
      ranked.push({ documentId: externalIdOf.get(passage.documentId) ?? passage.documentId, score: passage.relevance });
    }
    run.set(query.id, ranked.slice(0, rankedPerQuery));
  }
  return run;
}
