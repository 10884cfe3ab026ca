import { createReadStream } from 'node:fs';
import path from 'node:path';
import { safeFilename } from '../../../ingestion/intake/safeFilename.ts';
import { stageFile } from '../../../ingestion/intake/stageFile.ts';
import type { Services } from '../../services.ts';
import type { Ingestor, JobStatus, SubmittedFile } from './Ingestor.ts';
import { systemActor } from '../../access/systemActor.ts';

/** What these modules use of the composition root. */
export type DirectIngestorDeps = Pick<Services, 'collections' | 'config' | 'db' | 'documents' | 'embedder'>;

/** Ingests through the database and queue directly, processing the jobs in this process too. */
export class DirectIngestor implements Ingestor {
  readonly description: string;

  constructor(private readonly services: DirectIngestorDeps) {
    this.description = services.db.mode === 'embedded' ? 'the embedded database' : services.db.displayUrl;
  }

  async ensureCollection(slug: string): Promise<boolean> {
    const { collections, embedder } = this.services;
    if (await collections.findBySlug(slug)) return false;
    await collections.create(systemActor, {
      slug,
      name: slug,
      embeddingModel: embedder.model,
      embeddingDimension: await embedder.dimension(),
    });
    return true;
  }

  async submit(collection: string, files: string[]): Promise<SubmittedFile[]> {
    const { dataDir } = this.services.config;
    // Copied into the incoming folder like an upload, so the original is never moved or deleted.
    const staged = await Promise.all(files.map((file) => stageFile(createReadStream(file), safeFilename(path.basename(file)), dataDir)));
    const outcome = await this.services.documents.ingestUploads(systemActor, collection, staged, 'cli');
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
