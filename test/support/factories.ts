import { Readable } from 'node:stream';
import { stageFile } from '../../ingestion/intake/stageFile.ts';
import type { Services } from '../../server/services.ts';
import { waitFor } from './waitFor.ts';

/** A running Tapeout to upload to: its address and an admin's API key. */
export interface UploadTarget {
  url: string;
  apiKey: string;
  services: { documents: { findJob(id: string): Promise<{ state: string }> } };
}

export interface UploadedJob {
  id: string;
  documentId: string;
  filename: string;
  outcome: string;
}

/** Uploads files (name → text) to a collection through the API, as the admin: the answer's jobs, one per accepted file. */
export async function postFiles(
  target: Pick<UploadTarget, 'url' | 'apiKey'>,
  collection: string,
  files: Record<string, string>,
): Promise<UploadedJob[]> {
  const form = new FormData();
  for (const [name, text] of Object.entries(files)) form.append('files', new Blob([text]), name);
  const response = await fetch(`${target.url}/api/collections/${collection}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}` },
    body: form,
  });
  if (!response.ok) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { jobs: UploadedJob[] }).jobs;
}

/** Uploads files and waits until every job completed: the jobs, in the order of the files. */
export async function uploadAllAndWait(target: UploadTarget, collection: string, files: Record<string, string>): Promise<UploadedJob[]> {
  const jobs = await postFiles(target, collection, files);
  await jobsCompleted(target.services.documents, jobs);
  return jobs;
}

/**
 * Ingests files (name → text) into a collection without HTTP, as `tapeout ingest` does (staged,
 * registered, queued on the services' own worker), and waits until every job completed.
 */
export async function ingestAndWait(
  target: { services: Pick<Services, 'documents' | 'config'> },
  collection: string,
  files: Record<string, string>,
): Promise<UploadedJob[]> {
  const { documents, config } = target.services;
  const staged = await Promise.all(
    Object.entries(files).map(([name, text]) => stageFile(Readable.from([Buffer.from(text)]), name, config.dataDir)),
  );
  const { jobs, rejected } = await documents.ingestUploads(collection, staged, null, 'cli');
  if (rejected.length) throw new Error(`refused: ${JSON.stringify(rejected)}`);
  await jobsCompleted(documents, jobs);
  return jobs;
}

async function jobsCompleted(
  documents: UploadTarget['services']['documents'],
  jobs: Pick<UploadedJob, 'id' | 'filename'>[],
): Promise<void> {
  for (const job of jobs) {
    await waitFor(async () => ((await documents.findJob(job.id)).state === 'completed' ? true : undefined), job.filename);
  }
}
