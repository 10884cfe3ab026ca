import type { Queryable } from '../db/Database.ts';
import { isUuid } from '../db/uuid.ts';
import { collectionScopes } from '../access/collectionScopes.ts';
import type { DocumentMetadata } from './documentMetadata.ts';
import type { DocumentOrigin } from './documentOrigin.ts';

/**
 * The SQL of `documents`: every write, and the reads of documents by themselves. Reads that join
 * documents for another purpose (retrieval, the sources a citation shows, collection counts) are
 * read models named in docs/architecture.md. Functions take a Queryable so a caller's
 * transaction spans them.
 */

export type DocumentStatus = 'pending' | 'processing' | 'ready' | 'failed';

/** What admins see in a collection's document list. */
export interface DocumentListing {
  id: string;
  externalId: string | null;
  filename: string | null;
  title: string;
  status: DocumentStatus;
  version: number;
  error: { code: string; message: string } | null;
  metadata: Record<string, unknown>;
  updatedAt: string;
  chunks: number;
  /** Whether the document has readers of its own that narrow the collection's grants (document_readers). */
  restricted: boolean;
}

/** A document as ingestion and its admin actions need it. */
export interface StoredDocument {
  id: string;
  collectionId: string;
  filename: string | null;
  status: DocumentStatus;
  version: number;
  storagePath: string | null;
  contentHash: string;
  byteSize: number | null;
  error: { code: string; message: string } | null;
  source: string;
}

export interface NewDocument {
  collectionId: string;
  externalId: string;
  source: string;
  filename: string;
  contentHash: string;
  byteSize: number;
  storagePath: string;
  createdBy: string | null;
  metadata: DocumentMetadata;
  origin?: DocumentOrigin | null;
}

/** The version a swap makes served, with what its file turned out to be. */
export interface ServedVersion {
  version: number;
  contentHash: string;
  storagePath: string;
  byteSize: number;
  mimeType: string;
  title: string;
}

const storedColumns = `id, collection_id AS "collectionId", filename, status, version, storage_path AS "storagePath",
  content_hash AS "contentHash", byte_size::float8 AS "byteSize", error, source`;

/** `id` may come from a client: one that is not a UUID is not found (no SQL error, and the key's index is used). */
export async function findDocument(db: Queryable, id: string, { lock = false } = {}): Promise<StoredDocument | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<StoredDocument>(`SELECT ${storedColumns} FROM documents WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** The document a collection knows by `externalId`, locked for the caller's transaction. */
export async function lockDocumentByExternalId(
  db: Queryable,
  collectionId: string,
  externalId: string,
): Promise<StoredDocument | undefined> {
  const { rows } = await db.query<StoredDocument>(
    `SELECT ${storedColumns} FROM documents WHERE collection_id = $1 AND external_id = $2 FOR UPDATE`,
    [collectionId, externalId],
  );
  return rows[0];
}

/**
 * A collection's documents as a viewer sees them: restricted ones only when the viewer is among
 * their readers, unless `everyTitle` (admins, who manage them).
 */
export async function listDocuments(
  db: Queryable,
  collectionId: string,
  viewer: { userId: string | null; everyTitle: boolean },
): Promise<DocumentListing[]> {
  const { rows } = await db.query<DocumentListing>(
    `SELECT d.id, d.external_id AS "externalId", d.filename, d.title, d.status, d.version, d.error, d.metadata, d.updated_at AS "updatedAt",
            (SELECT count(*)::int FROM chunks c WHERE c.document_id = d.id AND c.document_version = d.version) AS chunks, d.restricted
       FROM documents d
      WHERE d.collection_id = $1 AND (NOT d.restricted OR $3::boolean OR ${collectionScopes.documentReadable('$2', 'd.id')})
      ORDER BY d.updated_at DESC, d.filename`,
    [collectionId, viewer.userId, viewer.everyTitle],
  );
  return rows;
}

/** Each document id of a collection with its external id. */
export async function externalIds(db: Queryable, collectionId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; external_id: string }>('SELECT id, external_id FROM documents WHERE collection_id = $1', [
    collectionId,
  ]);
  return new Map(rows.map((row) => [row.id, row.external_id]));
}

export async function isFileOfDocument(db: Queryable, storagePath: string): Promise<boolean> {
  return Boolean((await db.query('SELECT 1 FROM documents WHERE storage_path = $1 LIMIT 1', [storagePath])).rowCount);
}

export async function countReadyDocuments(db: Queryable, collectionId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents WHERE collection_id = $1 AND status = 'ready'`, [
    collectionId,
  ]);
  return rows[0]!.n;
}

/** Served documents whose served version has no chunks embedded by `model` yet, at most `limit`. */
export async function readyDocumentsLackingModel(
  db: Queryable,
  collectionId: string,
  model: string,
  limit: number,
): Promise<{ id: string; version: number }[]> {
  const { rows } = await db.query<{ id: string; version: number }>(
    `SELECT d.id, d.version FROM documents d
      WHERE d.collection_id = $1 AND d.status = 'ready'
        AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id AND c.document_version = d.version AND c.embedding_model = $2)
      ORDER BY d.id LIMIT $3`,
    [collectionId, model, limit],
  );
  return rows;
}

export async function insertDocument(db: Queryable, document: NewDocument): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO documents (collection_id, external_id, source, filename, title, content_hash, byte_size, storage_path, status, created_by, metadata, origin)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7, 'pending', $8, $9, $10) RETURNING id`,
    [
      document.collectionId,
      document.externalId,
      document.source,
      document.filename,
      document.contentHash,
      document.byteSize,
      document.storagePath,
      document.createdBy,
      JSON.stringify(document.metadata),
      document.origin ? JSON.stringify(document.origin) : null,
    ],
  );
  return rows[0]!.id;
}

export async function setDocumentMetadata(db: Queryable, id: string, metadata: DocumentMetadata): Promise<void> {
  await db.query('UPDATE documents SET metadata = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(metadata)]);
}

export async function setDocumentOrigin(db: Queryable, id: string, origin: DocumentOrigin): Promise<void> {
  await db.query('UPDATE documents SET origin = $2 WHERE id = $1', [id, JSON.stringify(origin)]);
}

/** The documents of a collection that came from one source: what deleting the source deletes. */
export async function documentsFromSource(db: Queryable, sourceId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM documents WHERE source = 'source' AND origin->>'sourceId' = $1`, [
    sourceId,
  ]);
  return rows.map((row) => row.id);
}

/** A failed document goes back to pending when it is ingested again. */
export async function markDocumentPending(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE documents SET status = 'pending', error = NULL, updated_at = now() WHERE id = $1 AND status = 'failed'`, [id]);
}

/** Fails a document that was never ready (a served version stays served); `keepFile` keeps its file for a retry. */
export async function markDocumentFailed(
  db: Queryable,
  id: string,
  error: { code: string; message: string },
  keepFile: boolean,
): Promise<void> {
  await db.query(
    `UPDATE documents SET status = 'failed', error = $2, storage_path = CASE WHEN $3 THEN storage_path END, updated_at = now()
      WHERE id = $1 AND status <> 'ready'`,
    [id, JSON.stringify(error), keepFile],
  );
}

export async function markVersionServed(db: Queryable, id: string, served: ServedVersion): Promise<void> {
  await db.query(
    `UPDATE documents SET version = $2, content_hash = $3, storage_path = $4, byte_size = $5, mime_type = $6, title = $7,
            status = 'ready', error = NULL, updated_at = now()
      WHERE id = $1`,
    [id, served.version, served.contentHash, served.storagePath, served.byteSize, served.mimeType, served.title],
  );
}

/** Deletes a document (its chunks and jobs cascade); its stored file's path, or undefined when there was none. */
export async function deleteDocument(db: Queryable, id: string): Promise<{ storagePath: string | null } | undefined> {
  const { rows } = await db.query<{ storagePath: string | null }>(
    `DELETE FROM documents WHERE id = $1 RETURNING storage_path AS "storagePath"`,
    [id],
  );
  return rows[0];
}

/** Whether a document's own readers narrow its collection's grants (kept by documentReaders.replaceReaders). */
export async function isRestricted(db: Queryable, documentId: string): Promise<boolean> {
  const { rows } = await db.query<{ restricted: boolean }>('SELECT restricted FROM documents WHERE id = $1', [documentId]);
  return rows[0]?.restricted ?? false;
}

export async function setRestricted(db: Queryable, documentId: string, restricted: boolean): Promise<void> {
  await db.query('UPDATE documents SET restricted = $2 WHERE id = $1', [documentId, restricted]);
}
