import type { Queryable } from '../../server/db/Database.ts';

export interface IngestionJob {
  id: string;
  collectionId: string;
  documentId: string;
  filename: string;
  storagePath: string;
  contentHash: string;
  byteSize: number;
  targetVersion: number;
  state: 'queued' | 'running' | 'completed' | 'failed';
  chunkSize: number;
  chunkOverlap: number;
  embeddingModel: string;
  textSearchConfig: string;
}

export async function loadIngestionJob(client: Queryable, id: string): Promise<IngestionJob | undefined> {
  const { rows } = await client.query<IngestionJob>(
    `SELECT j.id, j.collection_id AS "collectionId", j.document_id AS "documentId", j.filename, j.storage_path AS "storagePath",
            j.content_hash AS "contentHash", j.byte_size::int AS "byteSize", j.target_version AS "targetVersion", j.state,
            c.chunk_size AS "chunkSize", c.chunk_overlap AS "chunkOverlap", c.embedding_model AS "embeddingModel",
            c.text_search_config::text AS "textSearchConfig"
       FROM ingestion_jobs j JOIN collections c ON c.id = j.collection_id
      WHERE j.id = $1`,
    [id],
  );
  return rows[0];
}

export async function markJob(client: Queryable, id: string, fields: { state?: IngestionJob['state']; stage?: string; progress?: number; error?: { code: string; message: string } | null }) {
  await client.query(
    `UPDATE ingestion_jobs SET state = COALESCE($2, state), stage = COALESCE($3, stage), progress = COALESCE($4, progress),
            error = CASE WHEN $5::boolean THEN $6::jsonb ELSE error END,
            attempts = attempts + CASE WHEN $2 = 'running' THEN 1 ELSE 0 END,
            finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE finished_at END, updated_at = now()
      WHERE id = $1`,
    [id, fields.state ?? null, fields.stage ?? null, fields.progress ?? null, fields.error !== undefined, fields.error ? JSON.stringify(fields.error) : null],
  );
}

/** A permanent failure: the job fails, and so does a document that was never ready (a served version stays served). */
export async function failJob(client: Queryable, job: IngestionJob, error: { code: string; message: string }) {
  await markJob(client, job.id, { state: 'failed', stage: 'failed', error });
  await client.query(
    `UPDATE documents SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status <> 'ready'`,
    [job.documentId, JSON.stringify(error)],
  );
}
