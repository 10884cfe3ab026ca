import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hashingCounter } from '../../../ingestion/intake/hashingCounter.ts';
import { safeFilename } from '../../../ingestion/intake/safeFilename.ts';
import type { ReceivedFile } from '../../../ingestion/intake/receivedFile.ts';
import type { Services } from '../../services.ts';
import type { Ingestor, JobStatus, SubmittedFile } from './Ingestor.ts';

/** Copies a file into the incoming folder, hashing it on the way, like an upload. */
async function stage(source: string, incoming: string): Promise<ReceivedFile> {
  const tempPath = path.join(incoming, `${randomUUID()}.upload`);
  const counter = hashingCounter();
  await pipeline(createReadStream(source), counter.stream, createWriteStream(tempPath));
  return { filename: safeFilename(path.basename(source)), tempPath, ...counter.result() };
}

/** Ingests through the database and queue directly, processing the jobs in this process too. */
export class DirectIngestor implements Ingestor {
  readonly description: string;

  constructor(private readonly services: Services) {
    this.description = services.db.mode === 'embedded' ? 'the embedded database' : services.db.displayUrl;
  }

  async ensureCollection(slug: string): Promise<boolean> {
    const { collections, embedder } = this.services;
    if (await collections.findBySlug(slug)) return false;
    await collections.create({ slug, name: slug, embeddingModel: embedder.model, embeddingDimension: await embedder.dimension() });
    return true;
  }

  async submit(collection: string, files: string[]): Promise<SubmittedFile[]> {
    const incoming = path.join(this.services.config.dataDir, 'files', 'incoming');
    await mkdir(incoming, { recursive: true });
    const staged = await Promise.all(files.map((file) => stage(file, incoming)));
    const outcome = await this.services.documents.ingestUploads(collection, staged, null, 'cli');
    return files.map((file, i): SubmittedFile => {
      const name = staged[i]!.filename;
      const job = outcome.jobs.find((j) => j.filename === name);
      if (job) return { path: file, jobId: job.id, outcome: job.outcome };
      const refusal = outcome.rejected.find((r) => r.filename === name);
      if (refusal) return { path: file, outcome: 'rejected', error: refusal.error };
      return { path: file, outcome: 'unchanged' };
    });
  }

  async jobStatus(jobId: string): Promise<JobStatus> {
    return (await this.services.documents.findJob(jobId)) as JobStatus;
  }

  async close(): Promise<void> {}
}
