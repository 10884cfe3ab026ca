import { collectionScopes } from '../access/collectionScopes.ts';
import type { Queryable } from '../db/Database.ts';
import { textSearchConfigFor } from '../language/languages.ts';
import { textAnalyzerVersion } from '../language/searchTokens.ts';

/**
 * The SQL of `collections` and `collection_grants`: every write and the reads of collections by
 * themselves (retrieval's and the assistants' joins are read models). Rules live in
 * CollectionService, CollectionLanguages and the ingestion tasks.
 */

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

export async function insertCollection(db: Queryable, input: NewCollection): Promise<Collection> {
  const { rows } = await db.query<Collection>(
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

export async function findCollectionBySlug(db: Queryable, slug: string): Promise<Collection | undefined> {
  const { rows } = await db.query<Collection>(`SELECT ${columns} FROM collections WHERE slug = $1`, [slug]);
  return rows[0];
}

export async function collectionExists(db: Queryable, id: string): Promise<boolean> {
  return Boolean((await db.query('SELECT 1 FROM collections WHERE id = $1', [id])).rowCount);
}

/** The collection if the user may read it, with whether they may change it. */
export async function findVisibleCollection(
  db: Queryable,
  userId: string | null,
  slug: string,
): Promise<(Collection & { editable: boolean }) | undefined> {
  const { rows } = await db.query<Collection & { editable: boolean }>(
    `SELECT ${columns}, id IN (${collectionScopes.editable('$1')}) AS editable
       FROM collections WHERE slug = $2 AND id IN (${collectionScopes.visible('$1')})`,
    [userId, slug],
  );
  return rows[0];
}

/** Whether the user may read and change the collection with this id. */
export async function collectionAccess(
  db: Queryable,
  userId: string | null,
  collectionId: string,
): Promise<{ visible: boolean; editable: boolean }> {
  const { rows } = await db.query<{ visible: boolean; editable: boolean }>(
    `SELECT $2::uuid IN (${collectionScopes.visible('$1')}) AS visible, $2::uuid IN (${collectionScopes.editable('$1')}) AS editable`,
    [userId, collectionId],
  );
  return rows[0]!;
}

/** Ids of the collections with these slugs (unknown slugs are simply missing). */
export async function collectionIdsBySlug(db: Queryable, slugs: string[]): Promise<{ id: string; slug: string }[]> {
  const { rows } = await db.query<{ id: string; slug: string }>('SELECT id, slug FROM collections WHERE slug = ANY($1::text[])', [slugs]);
  return rows;
}

/** Grants the group (by name) a permission on the collection; false when there is no such group. */
export async function upsertGrant(db: Queryable, collectionId: string, groupName: string, permission: 'read' | 'edit'): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO collection_grants (collection_id, group_id, permission)
     SELECT $1, id, $3 FROM groups WHERE name = $2
     ON CONFLICT (collection_id, group_id) DO UPDATE SET permission = EXCLUDED.permission`,
    [collectionId, groupName, permission],
  );
  return Boolean(rowCount);
}

/** False when the group held no grant of the collection. */
export async function deleteGrant(db: Queryable, collectionId: string, groupName: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM collection_grants WHERE collection_id = $1 AND group_id = (SELECT id FROM groups WHERE name = $2)',
    [collectionId, groupName],
  );
  return Boolean(rowCount);
}

/** Collections the user can read (or one of them), with what the admin console shows about each. */
export async function listCollections(db: Queryable, userId: string | null, onlyId?: string): Promise<CollectionListing[]> {
  const { rows } = await db.query<CollectionListing>(
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
    [userId, onlyId ?? null],
  );
  return rows;
}

export async function chunkSettings(db: Queryable, collectionId: string): Promise<{ chunkSize: number; chunkOverlap: number } | undefined> {
  const { rows } = await db.query<{ chunkSize: number; chunkOverlap: number }>(
    'SELECT chunk_size AS "chunkSize", chunk_overlap AS "chunkOverlap" FROM collections WHERE id = $1',
    [collectionId],
  );
  return rows[0];
}

export async function updateCollection(
  db: Queryable,
  collectionId: string,
  fields: { name?: string; description?: string; chunkSize: number; chunkOverlap: number },
): Promise<void> {
  await db.query(
    `UPDATE collections SET name = coalesce($2, name), description = coalesce($3, description), chunk_size = $4, chunk_overlap = $5, updated_at = now() WHERE id = $1`,
    [collectionId, fields.name ?? null, fields.description ?? null, fields.chunkSize, fields.chunkOverlap],
  );
}

/** Takes the collection's row lock for the caller's transaction (model switches and index records wait on each other). */
export async function lockCollection(db: Queryable, collectionId: string): Promise<void> {
  await db.query('SELECT 1 FROM collections WHERE id = $1 FOR UPDATE', [collectionId]);
}

/** Sets the detected language of a collection whose language is not yet set nor detected; false when it was. */
export async function setDetectedLanguage(
  db: Queryable,
  collectionId: string,
  detected: { code: string; textSearchConfig: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE collections SET detected_language = $2, text_search_config = $3::regconfig, updated_at = now()
      WHERE id = $1 AND language IS NULL AND detected_language IS NULL`,
    [collectionId, detected.code, detected.textSearchConfig],
  );
  return rowCount === 1;
}

export async function setLanguage(
  db: Queryable,
  collectionId: string,
  choice: { language: string | null; detectedLanguage: string | null; textSearchConfig: string },
): Promise<void> {
  await db.query(
    `UPDATE collections SET language = $2, detected_language = $3, text_search_config = $4::regconfig, updated_at = now() WHERE id = $1`,
    [collectionId, choice.language, choice.detectedLanguage, choice.textSearchConfig],
  );
}

/** Collections holding chunks whose language is neither set nor detected. */
export async function collectionsOfUnknownLanguage(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT c.id FROM collections c WHERE c.language IS NULL AND c.detected_language IS NULL
        AND EXISTS (SELECT 1 FROM chunks ch WHERE ch.collection_id = c.id)`,
  );
  return rows.map((row) => row.id);
}

/** Collections (all, or one) not recorded as indexed with this text analyzer and their current configuration. */
export async function collectionsWithStaleTextIndex(
  db: Queryable,
  analyzerVersion: number,
  collectionId?: string,
): Promise<{ id: string; config: string }[]> {
  const { rows } = await db.query<{ id: string; config: string }>(
    `SELECT id, text_search_config::text AS config FROM collections
      WHERE (text_index_analyzer <> $1 OR text_index_config IS DISTINCT FROM text_search_config) AND ($2::uuid IS NULL OR id = $2)`,
    [analyzerVersion, collectionId ?? null],
  );
  return rows;
}

export async function markTextIndexed(db: Queryable, collectionId: string, analyzerVersion: number): Promise<void> {
  await db.query('UPDATE collections SET text_index_analyzer = $2, text_index_config = text_search_config WHERE id = $1', [
    collectionId,
    analyzerVersion,
  ]);
}

export interface ReembeddingTarget {
  id: string;
  currentModel: string;
  newModel: string | null;
  newDimension: number | null;
}

/**
 * Marks collections (all, or one) embedded with another model for re-embedding with `model`;
 * returns every collection so marked, including those marked before.
 */
export async function markForReembedding(
  db: Queryable,
  model: { name: string; dimension: number },
  collectionId?: string,
): Promise<{ collectionId: string; slug: string; from: string; to: string }[]> {
  await db.query(
    `UPDATE collections SET reembedding_model = $1, reembedding_dimension = $2, reembedding_error = NULL
      WHERE embedding_model <> $1 AND reembedding_model IS DISTINCT FROM $1 AND ($3::uuid IS NULL OR id = $3)`,
    [model.name, model.dimension, collectionId ?? null],
  );
  const { rows } = await db.query<{ collectionId: string; slug: string; from: string; to: string }>(
    `SELECT id AS "collectionId", slug, embedding_model AS "from", reembedding_model AS "to"
       FROM collections WHERE reembedding_model = $1 AND ($2::uuid IS NULL OR id = $2)`,
    [model.name, collectionId ?? null],
  );
  return rows;
}

export async function reembeddingTarget(db: Queryable, collectionId: string): Promise<ReembeddingTarget | undefined> {
  const { rows } = await db.query<ReembeddingTarget>(
    `SELECT id, embedding_model AS "currentModel", reembedding_model AS "newModel", reembedding_dimension AS "newDimension"
       FROM collections WHERE id = $1`,
    [collectionId],
  );
  return rows[0];
}

export async function setReembeddingError(db: Queryable, collectionId: string, error: { code: string; message: string }): Promise<void> {
  await db.query(`UPDATE collections SET reembedding_error = $2 WHERE id = $1`, [collectionId, JSON.stringify(error)]);
}

/** The collection's re-embedding model becomes its model. */
export async function switchToReembeddingModel(db: Queryable, collectionId: string): Promise<void> {
  await db.query(
    `UPDATE collections SET embedding_model = reembedding_model, embedding_dimension = reembedding_dimension,
            reembedding_model = NULL, reembedding_dimension = NULL, reembedding_error = NULL, updated_at = now()
      WHERE id = $1`,
    [collectionId],
  );
}

/**
 * The models the collection's chunks are embedded with now (its model, and the one it is being
 * re-embedded with), under a share lock that a model switch waits for.
 */
export async function modelsInUse(db: Queryable, collectionId: string): Promise<{ current: string; next: string | null } | undefined> {
  const { rows } = await db.query<{ current: string; next: string | null }>(
    'SELECT embedding_model AS current, reembedding_model AS next FROM collections WHERE id = $1 FOR SHARE',
    [collectionId],
  );
  return rows[0];
}
