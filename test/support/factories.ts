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
  for (const job of jobs) {
    await waitFor(async () => ((await target.services.documents.findJob(job.id)).state === 'completed' ? true : undefined), job.filename);
  }
  return jobs;
}
