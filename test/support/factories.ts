import { Readable } from 'node:stream';
import { stageFile } from '../../ingestion/intake/stageFile.ts';
import { generateApiKey } from '../../server/auth/apiKeys.ts';
import type { Collection } from '../../server/collections/CollectionService.ts';
import type { AssistantInput } from '../../server/assistants/AssistantService.ts';
import type { Services } from '../../server/services.ts';
import type { User } from '../../server/users/UserService.ts';
import { systemActor } from '../../server/access/systemActor.ts';
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
  const { jobs, rejected } = await documents.ingestUploads(systemActor, collection, staged, 'cli');
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

/*
 * Data factories: the records a spec starts from, made through the services as Tapeout itself
 * makes them (systemActor), so each spec states only what matters to it.
 */

/** A user with an API key of its own (`apiKey`, generated unless given); a member unless `role` says otherwise. */
export async function buildUser(
  services: Pick<Services, 'users'>,
  input: { email: string; role?: User['role']; name?: string; password?: string; apiKey?: string },
): Promise<User & { apiKey: string }> {
  const { apiKey = generateApiKey(), role = 'member', ...rest } = input;
  const user = await services.users.create(systemActor, { ...rest, role });
  await services.users.addApiKey(systemActor, user.id, apiKey, 'test');
  return { ...user, apiKey };
}

/** A collection on the services' embedder, granted to the groups named in `grants` (none unless given). */
export async function buildCollection(
  services: Pick<Services, 'collections' | 'embedder'>,
  input: { slug: string; name?: string; description?: string; language?: string; grants?: Record<string, 'read' | 'edit'> },
): Promise<Collection> {
  const { grants = {}, ...rest } = input;
  const collection = await services.collections.create(systemActor, {
    name: input.slug,
    ...rest,
    embeddingModel: services.embedder.model,
    embeddingDimension: await services.embedder.dimension(),
  });
  for (const [group, permission] of Object.entries(grants))
    await services.collections.grantToGroup(systemActor, collection.id, group, permission);
  return collection;
}

/** An assistant over the collections named by slug; name and system prompt default to plain ones. */
export async function buildAssistant(
  services: Pick<Services, 'assistants'>,
  input: Omit<AssistantInput, 'name' | 'systemPrompt'> & Partial<Pick<AssistantInput, 'name' | 'systemPrompt'>>,
): Promise<void> {
  await services.assistants.createFromInput(systemActor, { name: input.slug, systemPrompt: 'Answer from the sources.', ...input });
}

/** One text document ingested into a collection (as `tapeout ingest` does), its job completed: the job. */
export async function buildDocument(
  target: { services: Pick<Services, 'documents' | 'config'> },
  collection: string,
  filename: string,
  text: string,
): Promise<UploadedJob> {
  return (await ingestAndWait(target, collection, { [filename]: text }))[0]!;
}
