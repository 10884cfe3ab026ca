import type { Queryable } from '../db/Database.ts';
import { markDocumentFailed } from './documentRepository.ts';

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
  /** Set while the collection is being re-embedded: new chunks get vectors of this model too. */
  reembeddingModel: string | null;
  /** Whether the collection's language is set or detected (else this document's text is used to detect it). */
  languageKnown: boolean;
  /** A page crawled from a web source: its HTML is read in reader view (menus and footers left out). */
  readerView: boolean;
}

/** What admins see of a job: GET /api/jobs/:id and the socket.io progress events. */
export interface IngestionJobView {
  id: string;
  state: IngestionJob['state'];
  progress: number;
  stage: string;
  error: { code: string; message: string } | null;
  documentId: string | null;
  collectionId: string;
  filename: string | null;
  /** Seconds until the job should finish, while it runs and an estimate exists. */
  etaSeconds: number | null;
  attempts: number;
  updatedAt: string;
}

export const jobViewColumns = `id, state, progress, stage, error, document_id AS "documentId", collection_id AS "collectionId", filename,
  CASE WHEN state = 'running' AND estimated_finish_at IS NOT NULL
       THEN GREATEST(0, ceil(extract(epoch FROM estimated_finish_at - now())))::int END AS "etaSeconds",
  attempts, updated_at AS "updatedAt"`;

export interface NewIngestionJob {
  collectionId: string;
  documentId: string;
  filename: string | null;
  source: string;
  storagePath: string;
  contentHash: string;
  byteSize: number;
  targetVersion: number;
  createdBy: string | null;
}

/** The version a new job makes: a served document gets the next one; one never ready retries its own. */
export function targetVersionFor(document: { status: string; version: number } | undefined): number {
  if (!document) return 1;
  return document.status === 'ready' ? document.version + 1 : document.version;
}

/** Queues the ingestion of a stored file as a document's version (the caller enqueues the task after committing). */
export async function insertIngestionJob(client: Queryable, job: NewIngestionJob): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ingestion_jobs (collection_id, document_id, filename, source, storage_path, content_hash, byte_size, target_version, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      job.collectionId,
      job.documentId,
      job.filename,
      job.source,
      job.storagePath,
      job.contentHash,
      job.byteSize,
      job.targetVersion,
      job.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function loadIngestionJob(client: Queryable, id: string): Promise<IngestionJob | undefined> {
  const { rows } = await client.query<IngestionJob>(
    `SELECT j.id, j.collection_id AS "collectionId", j.document_id AS "documentId", j.filename, j.storage_path AS "storagePath",
            j.content_hash AS "contentHash", j.byte_size::int AS "byteSize", j.target_version AS "targetVersion", j.state,
            c.chunk_size AS "chunkSize", c.chunk_overlap AS "chunkOverlap", c.embedding_model AS "embeddingModel",
            c.reembedding_model AS "reembeddingModel", (c.language IS NOT NULL OR c.detected_language IS NOT NULL) AS "languageKnown",
            COALESCE(d.origin->>'kind' = 'web', false) AS "readerView"
       FROM ingestion_jobs j JOIN collections c ON c.id = j.collection_id LEFT JOIN documents d ON d.id = j.document_id
      WHERE j.id = $1`,
    [id],
  );
  return rows[0];
}

export interface JobUpdate {
  state?: IngestionJob['state'];
  stage?: string;
  progress?: number;
  error?: { code: string; message: string } | null;
  /** Seconds from now; null clears the estimate. Leaving the running state clears it too. */
  etaSeconds?: number | null;
}

/**
 * Updates a job (which also serves as its heartbeat) and returns what admins see of it. A finished
 * job (completed or failed) stays finished: a task that fails after its swap committed (say the
 * queue closed under it at shutdown), or a stalled worker waking up, must not send it back to the
 * queue, where the next start would ingest the document again. Returns undefined for it.
 */
export async function markJob(client: Queryable, id: string, fields: JobUpdate): Promise<IngestionJobView | undefined> {
  const { rows } = await client.query<IngestionJobView>(
    `UPDATE ingestion_jobs SET state = COALESCE($2, state), stage = COALESCE($3, stage), progress = COALESCE($4, progress),
            error = CASE WHEN $5::boolean THEN $6::jsonb ELSE error END,
            attempts = attempts + CASE WHEN $2 = 'running' THEN 1 ELSE 0 END,
            estimated_finish_at = CASE WHEN COALESCE($2, state) <> 'running' OR $7::text = 'clear' THEN NULL
                                       WHEN $7::text = 'set' THEN now() + make_interval(secs => $8::double precision)
                                       ELSE estimated_finish_at END,
            finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE finished_at END, updated_at = now()
      WHERE id = $1 AND state NOT IN ('completed', 'failed')
      RETURNING ${jobViewColumns}`,
    [
      id,
      fields.state ?? null,
      fields.stage ?? null,
      fields.progress ?? null,
      fields.error !== undefined,
      fields.error ? JSON.stringify(fields.error) : null,
      fields.etaSeconds === undefined ? 'keep' : fields.etaSeconds === null ? 'clear' : 'set',
      fields.etaSeconds ?? null,
    ],
  );
  return rows[0];
}

/**
 * The job fails, and so does a document that was never ready (a served version stays served).
 * `keepFile` leaves the document pointing at its file, so an admin can retry once the cause
 * (an embedding service that stayed down) is gone; a file that is itself bad is not kept.
 */
export async function failJob(
  client: Queryable,
  job: IngestionJob,
  error: { code: string; message: string },
  { keepFile = false } = {},
): Promise<IngestionJobView | undefined> {
  const view = await markJob(client, job.id, { state: 'failed', stage: 'failed', error });
  if (!view) return undefined; // finished already (see markJob): its document is not touched either
  await markDocumentFailed(client, job.documentId, error, keepFile);
  return view;
}

/** A job as admins see it, by an id given by a client (a malformed one is simply not found). */
export async function findJobView(db: Queryable, id: string): Promise<IngestionJobView | undefined> {
  const { rows } = await db.query<IngestionJobView>(`SELECT ${jobViewColumns} FROM ingestion_jobs WHERE id::text = $1`, [id]);
  return rows[0];
}

/** Content hashes of the document's jobs still queued or running. */
export async function activeJobContentHashes(db: Queryable, documentId: string): Promise<string[]> {
  const { rows } = await db.query<{ content_hash: string }>(
    `SELECT content_hash FROM ingestion_jobs WHERE document_id = $1 AND state IN ('queued', 'running')`,
    [documentId],
  );
  return rows.map((row) => row.content_hash);
}

/** Every file the document's jobs stored, finished or not. */
export async function jobStoragePaths(db: Queryable, documentId: string): Promise<string[]> {
  const { rows } = await db.query<{ storage_path: string }>('SELECT DISTINCT storage_path FROM ingestion_jobs WHERE document_id = $1', [
    documentId,
  ]);
  return rows.map((row) => row.storage_path);
}

export async function isFileOfActiveJob(db: Queryable, storagePath: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM ingestion_jobs WHERE storage_path = $1 AND state IN ('queued', 'running') LIMIT 1`, [
    storagePath,
  ]);
  return Boolean(rowCount);
}

/** Ids of the jobs still queued or running, oldest first. */
export async function unfinishedJobIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM ingestion_jobs WHERE state IN ('queued', 'running') ORDER BY created_at`);
  return rows.map((row) => row.id);
}

/** Unfinished jobs with no update for `silentMs`, most silent first, at most 500. */
export async function silentJobs(
  db: Queryable,
  silentMs: number,
): Promise<{ id: string; state: string; stage: string; attempts: number }[]> {
  const { rows } = await db.query<{ id: string; state: string; stage: string; attempts: number }>(
    `SELECT id, state, stage, attempts FROM ingestion_jobs
      WHERE state IN ('queued', 'running') AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY updated_at LIMIT 500`,
    [silentMs],
  );
  return rows;
}
