import path from 'node:path';
import type { Services } from '../../server/services.ts';
import { getSetting, setSetting } from '../../server/settings/InstanceSettings.ts';
import { sampleCollections } from '../sampleCorpus/index.ts';
import { mimeTypes, writeSampleCollection, type WrittenSample } from '../sampleCorpus/writeSampleCorpus.ts';

const seededKey = 'demo_content_seeded';

/**
 * On first start: renders the sample corpus to files under DATA_DIR/sample-corpus and creates the
 * three demo collections (granted to everyone), their assistants and their documents, all in one
 * transaction, then queues the documents for indexing. Later starts find the marker and seed
 * nothing, even if an admin has since deleted the demo content.
 */
export async function seedDemoContent(services: Services): Promise<boolean> {
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
        {
          slug: sample.slug,
          name: sample.name,
          description: sample.description,
          embeddingModel: services.embedder.model,
          embeddingDimension,
        },
        client,
      );
      await services.collections.grantToGroup(collection.id, 'everyone', 'read', client);
      await services.assistants.create({ ...sample.assistant, collectionIds: [collection.id] }, client);
      for (const file of written.get(sample.slug)!) {
        await client.query(
          `INSERT INTO documents (collection_id, external_id, source, filename, title, mime_type, content_hash, byte_size,
                                  storage_path, status, metadata)
           VALUES ($1, $2, 'seed', $3, $4, $5, $6, $7, $8, 'pending', $9)`,
          [
            collection.id,
            file.document.file,
            file.document.file,
            file.document.title,
            mimeTypes[file.document.format],
            file.contentHash,
            file.byteSize,
            file.path,
            { sample: { collection: sample.slug, file: file.document.file, sectionPages: file.sectionPages } },
          ],
        );
      }
    }
    await setSetting(client, seededKey, { at: new Date().toISOString() });
    return true;
  });
  if (seeded) services.logger.info({ collections: sampleCollections.map((c) => c.slug) }, 'seeded demo assistants');
  return seeded;
}

/**
 * Queues every demo document not yet indexed. Run at each start, so work lost with an
 * in-process queue (a stop mid-indexing) is picked up again; the job id prevents duplicates.
 */
export async function queuePendingSampleDocuments(services: Services): Promise<number> {
  const { rows } = await services.db.query<{ id: string }>(
    `SELECT id FROM documents WHERE source = 'seed' AND status IN ('pending', 'processing') ORDER BY created_at`,
  );
  for (const { id } of rows) {
    await services.queue.enqueue('IndexSampleDocumentTask', { documentId: id }, { jobId: `index-sample-${id}` });
  }
  return rows.length;
}
