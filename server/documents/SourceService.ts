import { existsSync } from 'node:fs';
import type { Principal } from '../auth/Principal.ts';
import type { Database } from '../db/Database.ts';
import { NotFoundError } from '../errors.ts';
import { collectionScopes } from '../access/collectionScopes.ts';

export interface SourcePassage {
  id: string;
  ordinal: number;
  text: string;
  headingPath: string[];
  page: number | null;
  /** The lines of a source file it spans (code from a Git source). */
  lines: { start: number; end: number } | null;
}

export interface SourceView {
  document: {
    id: string;
    title: string;
    filename: string | null;
    collection: string;
    version: number;
    updatedAt: string;
    downloadable: boolean;
  };
  passage: SourcePassage;
  /** Neighbouring chunks of the same version, for reading the passage in context. */
  before: SourcePassage[];
  after: SourcePassage[];
}

const contextChunks = 2;
const passageColumns = `c.id::text, c.ordinal, c.text, c.heading_path AS "headingPath", c.page,
  CASE WHEN c.line_start IS NULL THEN NULL ELSE json_build_object('start', c.line_start, 'end', c.line_end) END AS lines`;

/**
 * What the source viewer shows: a cited chunk in context, and the original file. Both are
 * filtered by the asker's grants in SQL; anything outside them is "not found", never "forbidden",
 * so nobody learns what exists in collections they cannot read.
 */
export class SourceService {
  constructor(private readonly db: Database) {}

  async passage(principal: Principal, chunkId: string): Promise<SourceView> {
    if (!/^\d{1,18}$/.test(chunkId)) throw new NotFoundError(`Passage ${chunkId}`);
    const { rows } = await this.db.query<
      SourcePassage & {
        documentId: string;
        version: number;
        model: string;
        title: string;
        filename: string | null;
        collection: string;
        updatedAt: string;
        storagePath: string | null;
      }
    >(
      `SELECT ${passageColumns}, c.document_id AS "documentId", c.document_version AS version, c.embedding_model AS model,
              d.title, d.filename, d.updated_at AS "updatedAt", d.storage_path AS "storagePath", col.slug AS collection
         FROM chunks c JOIN documents d ON d.id = c.document_id JOIN collections col ON col.id = c.collection_id
        WHERE c.id = $1::bigint AND c.document_version = d.version AND ${collectionScopes.documentReadable('$2', 'd.id')}`,
      [chunkId, principal.userId],
    );
    const found = rows[0];
    if (!found) throw new NotFoundError(`Passage ${chunkId} (the document may have been updated or deleted since this answer)`);
    const { rows: around } = await this.db.query<SourcePassage>(
      `SELECT ${passageColumns} FROM chunks c
        WHERE c.document_id = $1 AND c.document_version = $2 AND c.embedding_model = $3 AND c.ordinal BETWEEN $4::int - $5::int AND $4::int + $5::int AND c.ordinal <> $4::int
        ORDER BY c.ordinal`,
      [found.documentId, found.version, found.model, found.ordinal, contextChunks],
    );
    return {
      document: {
        id: found.documentId,
        title: found.title,
        filename: found.filename,
        collection: found.collection,
        version: found.version,
        updatedAt: found.updatedAt,
        downloadable: Boolean(found.storagePath && existsSync(found.storagePath)),
      },
      passage: {
        id: found.id,
        ordinal: found.ordinal,
        text: found.text,
        headingPath: found.headingPath,
        page: found.page,
        lines: found.lines,
      },
      before: around.filter((chunk) => chunk.ordinal < found.ordinal),
      after: around.filter((chunk) => chunk.ordinal > found.ordinal),
    };
  }

  /** The stored original of a document the principal may read. */
  async originalFile(principal: Principal, documentId: string): Promise<{ path: string; filename: string; mimeType: string | null }> {
    const { rows } = await this.db.query<{ storage_path: string | null; filename: string | null; title: string; mime_type: string | null }>(
      `SELECT d.storage_path, d.filename, d.title, d.mime_type FROM documents d
        WHERE d.id::text = $1 AND ${collectionScopes.documentReadable('$2', 'd.id')}`,
      [documentId, principal.userId],
    );
    const found = rows[0];
    if (!found) throw new NotFoundError(`Document ${documentId}`);
    if (!found.storage_path || !existsSync(found.storage_path)) throw new NotFoundError(`The original file of document ${documentId}`);
    return { path: found.storage_path, filename: found.filename ?? found.title ?? 'document', mimeType: found.mime_type };
  }
}
