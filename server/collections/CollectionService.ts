import type { Principal } from '../auth/Principal.ts';
import type { Database, Queryable } from '../db/Database.ts';
import { collectionScopes } from '../access/collectionScopes.ts';
import { requireEditable } from '../access/policies.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { textSearchConfigFor } from '../language/languages.ts';
import { textAnalyzerVersion } from '../language/searchTokens.ts';

export interface Collection {
  id: string;
  slug: string;
  name: string;
  description: string;
  embeddingModel: string;
  embeddingDimension: number;
  textSearchConfig: string;
  /** Set by an admin; null while it is detected from the text (detectedLanguage). */
  language: string | null;
  detectedLanguage: string | null;
}

export interface NewCollection {
  slug: string;
  name: string;
  description?: string;
  embeddingModel: string;
  embeddingDimension: number;
  /** A listed language's code; omitted or null: detected from the first documents. */
  language?: string | null;
  chunkSize?: number;
  chunkOverlap?: number;
  createdBy?: string | null;
}

export interface CollectionListing extends Collection {
  chunkSize: number;
  chunkOverlap: number;
  editable: boolean;
  documents: { total: number; ready: number; failed: number; inProgress: number };
  chunks: number;
  grants: { group: string; permission: 'read' | 'edit' }[];
  /** Set while the collection is being re-embedded with another model. */
  reembedding: { model: string; error: { code: string; message: string } | null } | null;
}

const columns = `id, slug, name, description, embedding_model AS "embeddingModel",
  embedding_dimension AS "embeddingDimension", text_search_config::text AS "textSearchConfig",
  language, detected_language AS "detectedLanguage"`;

export class CollectionService {
  constructor(private readonly db: Database) {}

  async create(input: NewCollection, client: Queryable = this.db): Promise<Collection> {
    const { rows } = await client.query<Collection>(
      // No chunks yet, so nothing is indexed with an older segmentation or configuration.
      `INSERT INTO collections (slug, name, description, embedding_model, embedding_dimension, text_search_config, created_by, chunk_size, chunk_overlap,
                               language, text_index_analyzer, text_index_config)
       VALUES ($1, $2, $3, $4, $5, $6::regconfig, $7, $8, $9, $10, $11, $6::regconfig) RETURNING ${columns}`,
      [
        input.slug,
        input.name,
        input.description ?? '',
        input.embeddingModel,
        input.embeddingDimension,
        textSearchConfigFor(input.language ?? null),
        input.createdBy ?? null,
        input.chunkSize ?? 512,
        input.chunkOverlap ?? 77,
        input.language ?? null,
        textAnalyzerVersion,
      ],
    );
    return rows[0]!;
  }

  async findBySlug(slug: string): Promise<Collection | undefined> {
    const { rows } = await this.db.query<Collection>(`SELECT ${columns} FROM collections WHERE slug = $1`, [slug]);
    return rows[0];
  }

  /**
   * The collection, when the principal may change it (admins, and groups granted 'edit').
   * One the principal cannot even read is reported as not found, so its existence does not leak.
   */
  async findEditable(principal: Principal, slug: string): Promise<Collection> {
    const { rows } = await this.db.query<Collection & { editable: boolean }>(
      `SELECT ${columns}, id IN (${collectionScopes.editable('$1')}) AS editable
         FROM collections WHERE slug = $2 AND id IN (${collectionScopes.visible('$1')})`,
      [principal.userId, slug],
    );
    const row = rows[0];
    requireEditable(
      row && { visible: true, editable: row.editable },
      `Collection "${slug}"`,
      `You can read "${slug}" but not change it: ask an admin for edit rights.`,
    );
    const { editable: _editable, ...collection } = row!;
    return collection;
  }

  /** Throws unless the principal may change the collection with this id (NotFound when it may not even read it). */
  async assertEditable(principal: Principal, collectionId: string, what: string): Promise<void> {
    const { rows } = await this.db.query<{ visible: boolean; editable: boolean }>(
      `SELECT $2::uuid IN (${collectionScopes.visible('$1')}) AS visible, $2::uuid IN (${collectionScopes.editable('$1')}) AS editable`,
      [principal.userId, collectionId],
    );
    requireEditable(rows[0], what);
  }

  async grantToGroup(collectionId: string, groupName: string, permission: 'read' | 'edit' = 'read', client: Queryable = this.db) {
    const { rowCount } = await client.query(
      `INSERT INTO collection_grants (collection_id, group_id, permission)
       SELECT $1, id, $3 FROM groups WHERE name = $2
       ON CONFLICT (collection_id, group_id) DO UPDATE SET permission = EXCLUDED.permission`,
      [collectionId, groupName, permission],
    );
    if (rowCount === 0) throw new NotFoundError(`Group "${groupName}"`);
  }

  async revokeFromGroup(collectionId: string, groupName: string): Promise<void> {
    const { rowCount } = await this.db.query(
      'DELETE FROM collection_grants WHERE collection_id = $1 AND group_id = (SELECT id FROM groups WHERE name = $2)',
      [collectionId, groupName],
    );
    if (!rowCount) throw new NotFoundError(`A grant of this collection to "${groupName}"`);
  }

  /** Collections the principal can read (or just one of them), with what the admin console shows about each. */
  async list(principal: Principal, onlyId?: string): Promise<CollectionListing[]> {
    const { rows } = await this.db.query<CollectionListing>(
      `SELECT ${columns}, chunk_size AS "chunkSize", chunk_overlap AS "chunkOverlap",
              c.id IN (${collectionScopes.editable('$1')}) AS editable,
              (SELECT json_build_object('total', count(*), 'ready', count(*) FILTER (WHERE status = 'ready'),
                        'failed', count(*) FILTER (WHERE status = 'failed'), 'inProgress', count(*) FILTER (WHERE status IN ('pending', 'processing')))
                 FROM documents d WHERE d.collection_id = c.id) AS documents,
              (SELECT count(*)::int FROM chunks ch JOIN documents d ON d.id = ch.document_id
                WHERE ch.collection_id = c.id AND ch.document_version = d.version AND ch.embedding_model = c.embedding_model) AS chunks,
              coalesce((SELECT json_agg(json_build_object('group', g.name, 'permission', cg.permission) ORDER BY g.name)
                          FROM collection_grants cg JOIN groups g ON g.id = cg.group_id WHERE cg.collection_id = c.id), '[]') AS grants,
              CASE WHEN reembedding_model IS NULL THEN NULL ELSE json_build_object('model', reembedding_model, 'error', reembedding_error) END AS reembedding
         FROM collections c WHERE c.id IN (${collectionScopes.visible('$1')}) AND ($2::uuid IS NULL OR c.id = $2) ORDER BY lower(c.name)`,
      [principal.userId, onlyId ?? null],
    );
    return rows;
  }

  /** Changes names and chunking; new chunking applies to files ingested (or re-ingested) from now on. */
  async update(
    collectionId: string,
    patch: { name?: string; description?: string; chunkSize?: number; chunkOverlap?: number },
  ): Promise<void> {
    const { rows } = await this.db.query<{ chunk_size: number; chunk_overlap: number }>(
      'SELECT chunk_size, chunk_overlap FROM collections WHERE id = $1',
      [collectionId],
    );
    const size = patch.chunkSize ?? rows[0]!.chunk_size;
    const overlap = patch.chunkOverlap ?? rows[0]!.chunk_overlap;
    if (overlap >= size) throw new ValidationError(`chunkOverlap (${overlap}) must be smaller than chunkSize (${size}).`);
    await this.db.query(
      `UPDATE collections SET name = coalesce($2, name), description = coalesce($3, description), chunk_size = $4, chunk_overlap = $5, updated_at = now() WHERE id = $1`,
      [collectionId, patch.name ?? null, patch.description ?? null, size, overlap],
    );
  }
}
