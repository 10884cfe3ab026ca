import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { enqueueIngestion } from '../../ingestion/tasks/IngestDocumentTask.ts';
import { ParseError } from '../../ingestion/parsing/ParsedDocument.ts';
import { sniffFormat } from '../../ingestion/parsing/sniffFormat.ts';
import type { DocumentOrigin } from '../corpus/documentOrigin.ts';
import { registerDocument } from '../corpus/registerDocument.ts';
import { removeUnreferencedFile } from '../corpus/storedFiles.ts';
import type { Database } from '../db/Database.ts';
import type { JobQueue } from '../queue/JobQueue.ts';
import { replaceReaders } from '../corpus/documentReaders.ts';
import { recordItem } from './sourceRepository.ts';
import type { SourceItem } from './SourceConnector.ts';

export type StoredOutcome =
  { stored: 'added' | 'changed' | 'unchanged'; readersChanged: boolean } | { skipped: { code: string; message: string } };

/** The external id of a source's document: the source and the item's key, so two sources never share one. */
export const externalIdOf = (sourceId: string, key: string) => `source:${sourceId}:${key}`;

/**
 * One changed item of a source becomes a document version, as an upload would: sniffed (binary
 * or unsupported bytes are skipped, not failed), stored by content hash, registered with its
 * origin (and its readers, where the source has permissions) and recorded as seen in one transaction, then queued for ingestion. A sync killed after
 * the commit finds the item recorded; one killed before finds it changed and does it again, and
 * the same bytes again register nothing new.
 */
export async function storeSourceItem(
  deps: { db: Database; queue: Pick<JobQueue, 'enqueue'>; filesDir: string },
  target: { sourceId: string; collectionId: string; origin: Omit<DocumentOrigin, 'location' | 'path' | 'commit' | 'link'> },
  item: SourceItem,
  bytes: Buffer,
): Promise<StoredOutcome> {
  try {
    await sniffFormat(bytes.subarray(0, 64 * 1024), item.filename);
  } catch (error) {
    if (error instanceof ParseError) return { skipped: { code: error.code, message: error.message } };
    throw error;
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(deps.filesDir, target.collectionId);
  await mkdir(dir, { recursive: true });
  const storagePath = path.join(dir, `${contentHash}-${path.basename(item.filename).replace(/[^\p{L}\p{N}._-]+/gu, '_')}`);
  await writeFile(storagePath, bytes);
  const result = await deps.db
    .transaction(async (client) => {
      const registered = await registerDocument(client, {
        collectionId: target.collectionId,
        filename: item.filename,
        externalId: externalIdOf(target.sourceId, item.key),
        source: 'source',
        storagePath,
        contentHash,
        byteSize: bytes.length,
        origin: { ...target.origin, ...item.origin },
      });
      await recordItem(client, target.sourceId, item.key, item.version, registered.documentId);
      // In the same transaction as the version: a restricted page is never served without its readers.
      const readersChanged = item.readers !== undefined && (await replaceReaders(client, registered.documentId, item.readers));
      return { ...registered, readersChanged };
    })
    .catch(async (error: unknown) => {
      await removeUnreferencedFile(deps.db, deps.filesDir, storagePath);
      throw error;
    });
  if (result.outcome === 'unchanged') return { stored: 'unchanged', readersChanged: result.readersChanged };
  await enqueueIngestion(deps.queue, result.ingestionJobId);
  return { stored: result.outcome === 'added' ? 'added' : 'changed', readersChanged: result.readersChanged };
}
