import type { Queryable } from '../../server/db/Database.ts';
import type { DocumentMetadata } from '../../server/retrieval/retrievalFilter.ts';
import { insertIngestionJob, targetVersionFor } from './ingestionJobs.ts';

export interface IntakeRequest {
  collectionId: string;
  filename: string;
  /** Identifies the document across re-ingestion; defaults to the file name. */
  externalId?: string;
  source: 'upload' | 'cli' | 'import' | 'seed' | 'slack' | 'api';
  storagePath: string;
  contentHash: string;
  byteSize: number;
  createdBy?: string | null;
  /** Replaces the document's metadata (filterable at retrieval) when given; kept otherwise. */
  metadata?: DocumentMetadata;
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
  const { rows } = await client.query<{ id: string; version: number; status: string; content_hash: string }>(
    `SELECT id, version, status, content_hash FROM documents WHERE collection_id = $1 AND external_id = $2 FOR UPDATE`,
    [request.collectionId, externalId],
  );
  const existing = rows[0];
  // Metadata belongs to the document, not a version: it changes at once, even for the same bytes.
  if (existing && request.metadata) {
    await client.query('UPDATE documents SET metadata = $2, updated_at = now() WHERE id = $1', [
      existing.id,
      JSON.stringify(request.metadata),
    ]);
  }
  if (existing) {
    const { rows: pending } = await client.query<{ content_hash: string }>(
      `SELECT content_hash FROM ingestion_jobs WHERE document_id = $1 AND state IN ('queued', 'running')`,
      [existing.id],
    );
    const sameAsServed = existing.content_hash === request.contentHash && existing.status !== 'failed';
    if (sameAsServed || pending.some((job) => job.content_hash === request.contentHash)) {
      return { outcome: 'unchanged', documentId: existing.id };
    }
  }
  let documentId = existing?.id;
  if (!documentId) {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO documents (collection_id, external_id, source, filename, title, content_hash, byte_size, storage_path, status, created_by, metadata)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, 'pending', $8, $9) RETURNING id`,
      [
        request.collectionId,
        externalId,
        request.source,
        request.filename,
        request.contentHash,
        request.byteSize,
        request.storagePath,
        request.createdBy ?? null,
        JSON.stringify(request.metadata ?? {}),
      ],
    );
    documentId = inserted.rows[0]!.id;
  }
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
