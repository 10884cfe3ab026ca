import path from 'node:path';
import type { AssistantService } from '../assistants/AssistantService.ts';
import type { CollectionService } from '../collections/CollectionService.ts';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import type { Embedder } from '../inference/embeddings/Embedder.ts';
import type { Logger } from '../logging/logger.ts';
import type { JobQueue } from '../queue/JobQueue.ts';
import { getSetting, setSetting } from '../settings/InstanceSettings.ts';
import { unfinishedJobIds } from '../corpus/ingestionJobs.ts';
import { registerDocument } from '../corpus/registerDocument.ts';
import { sampleCollections } from './sampleCorpus/index.ts';
import { writeSampleCollection, type WrittenSample } from './sampleCorpus/writeSampleCorpus.ts';
import { enqueueIngestion } from '../../ingestion/tasks/IngestDocumentTask.ts';
import { systemActor } from '../access/systemActor.ts';
import { demoSourceKey } from './seedDemoSource.ts';

/** What seeding the demo needs: the repositories it writes and the queue its documents go through. */
type SeedDeps = {
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  logger: Logger;
  assistants: AssistantService;
  collections: CollectionService;
  config: Pick<Config, 'dataDir'>;
};

const seededKey = 'demo_content_seeded';

/**
 * On first start: renders the sample corpus to files under DATA_DIR/sample-corpus and, in one
 * transaction, creates the three demo collections (granted to everyone), their assistants and
 * an ingestion job per file; the files then go through the ingestion pipeline like any upload.
 * Later starts find the marker and seed nothing, even if an admin has since deleted the demo.
 */
export async function seedDemoContent(services: SeedDeps): Promise<boolean> {
  if (await getSetting(services.db, seededKey)) return false;
  const corpusDir = path.join(services.config.dataDir, 'sample-corpus');
  const written = new Map<string, WrittenSample[]>();
  for (const collection of sampleCollections) written.set(collection.slug, await writeSampleCollection(collection, corpusDir));

  // Asked before the transaction: a remote embedder may take a while to answer.
  const embeddingDimension = await services.embedder.dimension();
  const seeded = await services.db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [seededKey]);
    if (await getSetting(client, seededKey)) return false;
    for (const sample of sampleCollections) {
      const collection = await services.collections.create(
        systemActor,
        {
          slug: sample.slug,
          name: sample.name,
          description: sample.description,
          language: sample.language,
          embeddingModel: services.embedder.model,
          embeddingDimension,
        },
        client,
      );
      await services.collections.grantToGroup(systemActor, collection.id, 'everyone', 'read', client);
      await services.assistants.create(systemActor, { ...sample.assistant, collectionIds: [collection.id] }, client);
      for (const file of written.get(sample.slug)!) {
        await registerDocument(client, {
          collectionId: collection.id,
          filename: file.document.file,
          source: 'seed',
          storagePath: file.path,
          contentHash: file.contentHash,
          byteSize: file.byteSize,
        });
      }
    }
    await setSetting(client, seededKey, { at: new Date().toISOString() });
    await setSetting(client, demoSourceKey, { state: 'pending' });
    return true;
  });
  if (seeded) services.logger.info({ collections: sampleCollections.map((c) => c.slug) }, 'seeded demo assistants');
  return seeded;
}

/**
 * Queues every ingestion job not finished yet. Run at each start, so work lost with the
 * in-process queue (a stop mid-ingestion) resumes; the job id prevents duplicates on BullMQ.
 */
export async function queueUnfinishedIngestion(services: Pick<SeedDeps, 'db' | 'queue'>): Promise<number> {
  const ids = await unfinishedJobIds(services.db);
  for (const id of ids) await enqueueIngestion(services.queue, id);
  return ids.length;
}
