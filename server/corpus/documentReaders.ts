import type { Queryable } from '../db/Database.ts';
import { isRestricted, setRestricted } from './documentRepository.ts';

/**
 * The SQL of `document_readers`: who, besides the collection's grants, a document is limited to.
 * Who may read what is decided in the schema's functions (user_among_readers and the ones built
 * on it, named in access/collectionScopes.ts); this module only writes and lists the readers.
 */

/** One reader as a source names it: everyone in the source, a user by email, a group by id and name. */
export type DocumentReader = { kind: 'everyone' } | { kind: 'user'; email: string } | { kind: 'group'; id?: string; name: string };

/** A reader as the console shows it: how the source names it and the Tapeout group it matched, if any. */
export interface ReaderView {
  kind: DocumentReader['kind'];
  key: string;
  name: string;
  /** The Tapeout group a source's group matched (by the IdP's id or by name); null when none did. */
  matchedGroup: string | null;
}

interface ReaderRow {
  kind: DocumentReader['kind'];
  key: string;
  name: string;
}

function rowOf(reader: DocumentReader): ReaderRow {
  if (reader.kind === 'everyone') return { kind: 'everyone', key: '', name: '' };
  if (reader.kind === 'user') return { kind: 'user', key: reader.email.trim().toLowerCase(), name: '' };
  return { kind: 'group', key: reader.id?.trim() || reader.name.trim().toLowerCase(), name: reader.name.trim() };
}

/** A canonical form of reader rows (sorted, without repeats; names compared without case), to compare two lists by value. */
function signatureOf(rows: readonly ReaderRow[]): string {
  const keyOf = (row: ReaderRow) => `${row.kind}\u0000${row.key}\u0000${row.name.toLowerCase()}`;
  return [...new Set(rows.map(keyOf))].sort().join('\n');
}

function distinctRows(readers: readonly DocumentReader[]): ReaderRow[] {
  return [...new Map(readers.map(rowOf).map((row) => [`${row.kind}\u0000${row.key}`, row])).values()];
}

/**
 * Sets a document's readers (undefined: none of its own, the collection's grants alone decide;
 * an empty list: nobody, as when the source names only people Tapeout cannot match). Returns
 * whether they changed.
 * Restricted is kept in the same transaction: readers without 'everyone' narrow the grants.
 */
export async function replaceReaders(db: Queryable, documentId: string, readers: readonly DocumentReader[] | undefined): Promise<boolean> {
  const before = await readerRows(db, documentId);
  const restrictedBefore = await isRestricted(db, documentId);
  const rows = readers === undefined ? [] : distinctRows(readers);
  const restricted = readers !== undefined && !rows.some((row) => row.kind === 'everyone');
  const changed = signatureOf(rows) !== signatureOf(before) || restricted !== restrictedBefore;
  if (!changed) return false;
  await db.query('DELETE FROM document_readers WHERE document_id = $1', [documentId]);
  if (rows.length > 0) {
    await db.query(
      `INSERT INTO document_readers (document_id, kind, key, name)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [documentId, rows.map((row) => row.kind), rows.map((row) => row.key), rows.map((row) => row.name)],
    );
  }
  await setRestricted(db, documentId, restricted);
  return true;
}

async function readerRows(db: Queryable, documentId: string): Promise<ReaderRow[]> {
  const { rows } = await db.query<ReaderRow>('SELECT kind, key, name FROM document_readers WHERE document_id = $1', [documentId]);
  return rows;
}

/** The readers of these documents, with the Tapeout group each source's group matched. */
export async function readersOf(db: Queryable, documentIds: readonly string[]): Promise<Map<string, ReaderView[]>> {
  const { rows } = await db.query<ReaderView & { documentId: string }>(
    `SELECT r.document_id AS "documentId", r.kind, r.key, r.name,
            (SELECT g.name FROM groups g
              WHERE r.kind = 'group' AND NOT g.is_builtin
                AND (g.external_id = r.key OR lower(g.name) = r.key OR (r.name <> '' AND lower(g.name) = lower(r.name)))
              ORDER BY g.external_id = r.key DESC, g.name LIMIT 1) AS "matchedGroup"
       FROM document_readers r WHERE r.document_id = ANY($1::uuid[]) ORDER BY r.kind, r.key`,
    [documentIds],
  );
  const byDocument = new Map<string, ReaderView[]>();
  for (const { documentId, ...reader } of rows) byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), reader]);
  return byDocument;
}
