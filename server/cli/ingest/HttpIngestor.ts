import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { CliError } from '../CliError.ts';
import type { Ingestor, JobStatus, SubmittedFile } from './Ingestor.ts';

interface UploadResponse {
  jobs?: { id: string; filename: string; outcome: 'added' | 'updated' }[];
  unchanged?: { filename: string }[];
  rejected?: { filename: string; error: { code: string; message: string } }[];
  error?: { code: string; message: string; details?: { rejected?: UploadResponse['rejected'] } };
}

/** Ingests through a running server's REST API (its embedded database is not ours to open). */
export class HttpIngestor implements Ingestor {
  readonly description: string;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.description = `the server at ${baseUrl}`;
  }

  private headers() {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  async ensureCollection(slug: string): Promise<boolean> {
    const response = await fetch(`${this.baseUrl}/api/collections`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ slug, name: slug }),
    });
    if (response.status === 201) return true;
    if (response.status === 409) return false;
    const body = (await response.json().catch(() => ({}))) as UploadResponse;
    throw new CliError(`Could not create collection "${slug}": ${body.error?.message ?? `HTTP ${response.status}`}`);
  }

  async submit(collection: string, files: string[]): Promise<SubmittedFile[]> {
    const form = new FormData();
    for (const file of files) form.append('files', await openAsBlob(file), path.basename(file));
    const response = await fetch(`${this.baseUrl}/api/collections/${encodeURIComponent(collection)}/documents`, {
      method: 'POST',
      headers: this.headers(),
      body: form,
    });
    const body = (await response.json()) as UploadResponse;
    if (!response.ok && !body.error?.details?.rejected) throw new Error(`${response.status}: ${body.error?.message ?? 'upload failed'}`);
    const rejected = body.rejected ?? body.error?.details?.rejected ?? [];
    return files.map((file): SubmittedFile => {
      const name = path.basename(file);
      const job = body.jobs?.find((j) => j.filename === name);
      if (job) return { path: file, jobId: job.id, outcome: job.outcome };
      const refusal = rejected.find((r) => r.filename === name);
      if (refusal) return { path: file, outcome: 'rejected', error: refusal.error };
      return { path: file, outcome: 'unchanged' };
    });
  }

  async jobStatus(jobId: string): Promise<JobStatus> {
    const response = await fetch(`${this.baseUrl}/api/jobs/${jobId}`, { headers: this.headers() });
    if (!response.ok) throw new Error(`job ${jobId}: HTTP ${response.status}`);
    return (await response.json()) as JobStatus;
  }

  async close(): Promise<void> {}
}
