import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { registerTasks } from '../../registerTasks.ts';
import type { Config } from '../../config/index.ts';
import { DataDirInUseError } from '../../db/EmbeddedPostgres.ts';
import type { Logger } from '../../logging/logger.ts';
import { closeServices, createServices, type Services } from '../../services.ts';
import { CliError } from '../CliError.ts';
import { collectFiles } from './collectFiles.ts';
import { DirectIngestor } from './DirectIngestor.ts';
import { HttpIngestor } from './HttpIngestor.ts';
import type { Ingestor, SubmittedFile } from './Ingestor.ts';

export interface IngestOptions {
  collection: string;
  /** Create the collection when it does not exist yet. */
  create?: boolean;
  server?: string;
  apiKey?: string;
}

/** Files per upload request, and bytes: well under the server's UPLOAD_MAX_REQUEST_BYTES default (1 GiB). */
const batchFiles = 20;
const batchBytes = 256 * 1024 * 1024;

/**
 * `tapeout ingest`: with no server running it opens the database itself and processes the jobs
 * in this process; when a server holds the embedded database (or --server is given) it uploads
 * through that server's API. Returns the process exit code.
 */
export async function ingestCommand(inputs: string[], options: IngestOptions, config: Config, logger: Logger): Promise<number> {
  const files = await collectFiles(inputs);
  if (files.length === 0) return report('No files found in the given paths.', 2);
  const duplicates = duplicateNames(files);
  if (duplicates.length) {
    return report(
      `These names appear more than once and would overwrite each other as versions of one document: ${duplicates.join(', ')}. Rename them or ingest them separately.`,
      2,
    );
  }
  const { ingestor, services } = await connect(options, config, logger);
  if (options.create && (await ingestor.ensureCollection(options.collection))) console.log(`Created collection "${options.collection}".`);
  console.log(`Ingesting ${files.length} file(s) into "${options.collection}" through ${ingestor.description}.`);
  try {
    const results: (SubmittedFile & { finalError?: { code: string; message: string } })[] = [];
    const bar = process.stdout.isTTY
      ? new SingleBar({ format: '{bar} {value}/{total} files | {percentage}% | ETA {eta_formatted}' }, Presets.shades_classic)
      : undefined;
    bar?.start(files.length, 0);
    for (const batch of await batches(files)) {
      const submitted = await ingestor.submit(options.collection, batch);
      for (const file of submitted) {
        const final = file.jobId ? await waitForJob(ingestor, file.jobId) : undefined;
        results.push({ ...file, ...(final?.error ? { finalError: final.error } : {}) });
        bar?.increment();
      }
    }
    bar?.stop();
    return summarise(results);
  } finally {
    await ingestor.close();
    if (services) await closeServices(services);
  }
}

/** Consecutive groups of at most batchFiles files and batchBytes bytes; a larger file goes alone. */
async function batches(files: string[]): Promise<string[][]> {
  const groups: string[][] = [];
  let bytes = 0;
  for (const file of files) {
    const size = (await stat(file)).size;
    const last = groups.at(-1);
    if (!last || last.length >= batchFiles || bytes + size > batchBytes) {
      groups.push([file]);
      bytes = size;
    } else {
      last.push(file);
      bytes += size;
    }
  }
  return groups;
}

async function connect(options: IngestOptions, config: Config, logger: Logger): Promise<{ ingestor: Ingestor; services?: Services }> {
  const viaServer = (server: string) => {
    const apiKey = options.apiKey ?? config.admin.apiKey;
    if (!apiKey) throw new CliError(`Ingesting through ${server} needs an admin API key: pass --api-key or set ADMIN_API_KEY.`);
    return { ingestor: new HttpIngestor(server.replace(/\/+$/, ''), apiKey) };
  };
  if (options.server) return viaServer(options.server);
  try {
    const services = await createServices(config, logger);
    registerTasks(services);
    await services.queue.startWorker();
    return { ingestor: new DirectIngestor(services), services };
  } catch (error) {
    if (error instanceof DataDirInUseError) return viaServer(`http://localhost:${config.port}`);
    throw error;
  }
}

export async function waitForJob(ingestor: Pick<Ingestor, 'jobStatus'>, jobId: string) {
  for (;;) {
    const status = await ingestor.jobStatus(jobId);
    if (status.state === 'completed' || status.state === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function duplicateNames(files: string[]): string[] {
  const seen = new Map<string, number>();
  for (const file of files) seen.set(path.basename(file), (seen.get(path.basename(file)) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([name]) => name);
}

function summarise(results: (SubmittedFile & { finalError?: { code: string; message: string } })[]): number {
  const failed = results.filter((r) => r.outcome === 'rejected' || r.finalError);
  const count = (outcome: SubmittedFile['outcome']) => results.filter((r) => r.outcome === outcome && !r.finalError).length;
  console.log(`Added ${count('added')}, updated ${count('updated')}, unchanged ${count('unchanged')}, failed ${failed.length}.`);
  for (const failure of failed) {
    const error = failure.finalError ?? failure.error!;
    console.log(`  failed: ${failure.path}: ${error.code}: ${error.message}`);
  }
  return failed.length ? 1 : 0;
}

function report(message: string, code: number): number {
  console.error(message);
  return code;
}
