import type { Queryable } from '../db/Database.ts';
import type { DocumentMetadata } from './documentMetadata.ts';
import type { DocumentOrigin } from './documentOrigin.ts';
import { insertDocument, lockDocumentByExternalId, setDocumentMetadata, setDocumentOrigin } from './documentRepository.ts';
import { activeJobContentHashes, insertIngestionJob, targetVersionFor } from './ingestionJobs.ts';

export interface IntakeRequest {
  collectionId: string;
  filename: string;
  /** Identifies the document across re-ingestion; defaults to the file name. */
  externalId?: string;
  source: 'upload' | 'cli' | 'import' | 'seed' | 'slack' | 'api' | 'source';
  storagePath: string;
  contentHash: string;
  byteSize: number;
  createdBy?: string | null;
  /** Replaces the document's metadata (filterable at retrieval) when given; kept otherwise. */
  metadata?: DocumentMetadata;
  /** Where it lives in its source; set whenever given, like metadata. */
  origin?: DocumentOrigin;
}

export type IntakeResult =
  { outcome: 'unchanged'; documentId: string } | { outcome: 'added' | 'updated'; documentId: string; ingestionJobId: string };

/**
 * Records a file for ingestion, inside the caller's transaction. The same content again is a
 * no-op; changed content under the same name (or external id) becomes the next version, which
 * replaces the served one only when its chunks are complete. The caller enqueues
 * IngestDocumentTask for the returned job after committing.
 */
export async function registerDocument(client: Queryable, request: IntakeRequest): Promise<IntakeResult> {
  const externalId = request.externalId ?? request.filename;
  const existing = await lockDocumentByExternalId(client, request.collectionId, externalId);
  // Metadata belongs to the document, not a version: it changes at once, even for the same bytes.
  if (existing && request.metadata) await setDocumentMetadata(client, existing.id, request.metadata);
  if (existing && request.origin) await setDocumentOrigin(client, existing.id, request.origin);
  if (existing) {
    const pendingHashes = await activeJobContentHashes(client, existing.id);
    const sameAsServed = existing.contentHash === request.contentHash && existing.status !== 'failed';
    if (sameAsServed || pendingHashes.includes(request.contentHash)) return { outcome: 'unchanged', documentId: existing.id };
  }
  const documentId =
    existing?.id ??
    (await insertDocument(client, {
      collectionId: request.collectionId,
      externalId,
      source: request.source,
      filename: request.filename,
      contentHash: request.contentHash,
      byteSize: request.byteSize,
      storagePath: request.storagePath,
      createdBy: request.createdBy ?? null,
      metadata: request.metadata ?? {},
      origin: request.origin ?? null,
    }));
  const ingestionJobId = await insertIngestionJob(client, {
    collectionId: request.collectionId,
    documentId,
    filename: request.filename,
    source: request.source,
    storagePath: request.storagePath,
    contentHash: request.contentHash,
    byteSize: request.byteSize,
    targetVersion: targetVersionFor(existing),
    createdBy: request.createdBy ?? null,
  });
  return { outcome: existing ? 'updated' : 'added', documentId, ingestionJobId };
}
