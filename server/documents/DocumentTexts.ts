import type { Principal } from '../auth/Principal.ts';
import type { Database } from '../db/Database.ts';
import { NotFoundError } from '../errors.ts';
import { collectionScopes } from '../access/collectionScopes.ts';

export interface ReadableDocument {
  id: string;
  title: string;
  filename: string | null;
  collection: string;
  mimeType: string | null;
  updatedAt: string;
}

export interface DocumentText extends ReadableDocument {
  text: string;
  /** True when the text stops at `documentTextLimits.characters`. */
  truncated: boolean;
}

export const documentTextLimits = { listed: 1000, characters: 500_000 } as const;

/**
 * Whole documents as text, for readers that are not the web viewer (MCP resources, an
 * assistant's "read the document" tool): the current version's chunks in order, their overlaps
 * removed. Under the reader's grants in SQL; a document they may not read is "not found".
 */
export class DocumentTexts {
  constructor(private readonly db: Database) {}

  /** The ready documents the principal may read, most recently changed first, at most `documentTextLimits.listed`. */
  async readable(principal: Principal): Promise<ReadableDocument[]> {
    const { rows } = await this.db.query<ReadableDocument>(
      `SELECT d.id::text, d.title, d.filename, col.slug AS collection, d.mime_type AS "mimeType", d.updated_at AS "updatedAt"
         FROM documents d JOIN collections col ON col.id = d.collection_id
        WHERE d.status = 'ready' AND d.collection_id IN (${collectionScopes.visible('$1')}) AND ${collectionScopes.documentReadable('$1', 'd.id')}
        ORDER BY d.updated_at DESC, d.id LIMIT $2`,
      [principal.userId, documentTextLimits.listed],
    );
    return rows;
  }

  async text(principal: Principal, documentId: string): Promise<DocumentText> {
    const { rows } = await this.db.query<ReadableDocument & { chunks: string[] | null }>(
      `SELECT d.id::text, d.title, d.filename, col.slug AS collection, d.mime_type AS "mimeType", d.updated_at AS "updatedAt",
              (SELECT array_agg(c.text ORDER BY c.ordinal) FROM chunks c
                WHERE c.document_id = d.id AND c.document_version = d.version AND c.embedding_model = col.embedding_model) AS chunks
         FROM documents d JOIN collections col ON col.id = d.collection_id
        WHERE d.id::text = $1 AND d.status = 'ready' AND ${collectionScopes.documentReadable('$2', 'd.id')}`,
      [documentId, principal.userId],
    );
    const found = rows[0];
    if (!found) throw new NotFoundError(`Document ${documentId}`);
    const { chunks, ...document } = found;
    const whole = joinOverlapping(chunks ?? []);
    const truncated = whole.length > documentTextLimits.characters;
    return { ...document, text: truncated ? whole.slice(0, documentTextLimits.characters) : whole, truncated };
  }
}

/**
 * Consecutive chunks share their overlap (the collection's chunk_overlap): each chunk is added
 * without the start it repeats from the one before. Linear in the text: the next chunk's opening
 * is looked for in the previous one's tail, and kept whole when it is not found there.
 */
export function joinOverlapping(chunks: string[]): string {
  let joined = '';
  let previous = '';
  for (const chunk of chunks) {
    const repeated = overlapOf(previous, chunk);
    const rest = chunk.slice(repeated);
    joined += joined && repeated === 0 ? `\n\n${rest}` : rest;
    previous = chunk;
  }
  return joined;
}

function overlapOf(previous: string, next: string): number {
  const probe = next.slice(0, 16);
  if (!previous || probe.length < 16) return 0;
  // The overlap is a tail of the previous chunk no longer than the next one; a handful of
  // candidates at most, so a text that repeats itself cannot make this quadratic.
  let at = previous.indexOf(probe, Math.max(0, previous.length - next.length));
  for (let tries = 0; at !== -1 && tries < 32; tries++, at = previous.indexOf(probe, at + 1)) {
    const tail = previous.slice(at);
    if (next.startsWith(tail)) return tail.length;
  }
  return 0;
}
