import type { Queryable } from '../db/Database.ts';
import { isUuid } from '../db/uuid.ts';
import { collectionScopes } from '../access/collectionScopes.ts';

/** The SQL of `sources`, `source_runs` and `source_items`. */

export type SourceKind = 'git' | 'web' | 'confluence' | 'jira' | 'sharepoint';
export type RunMode = 'content' | 'permissions';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type RunTrigger = 'manual' | 'schedule' | 'created';

/** A kind's own settings, validated by its connector (branch and globs for Git; crawl limits for the web). */
export type SourceSettings = Record<string, unknown>;

export interface StoredSource {
  id: string;
  collectionId: string;
  collectionSlug: string;
  kind: SourceKind;
  name: string;
  url: string;
  settings: SourceSettings;
  schedule: string | null;
  paused: boolean;
  hasCredentials: boolean;
  cursor: unknown;
  nextSyncAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ItemError {
  item: string;
  code: string;
  message: string;
}

export interface RunCounts {
  added: number;
  changed: number;
  deleted: number;
  skipped: number;
  failed: number;
  /** Documents whose readers changed (a permission granted or revoked at the source). */
  readersChanged: number;
}

export interface SourceRun extends RunCounts {
  id: string;
  sourceId: string;
  trigger: RunTrigger;
  /** A content sync, or a permission-only one (readers re-read, nothing else changed). */
  mode: RunMode;
  status: RunStatus;
  stage: string;
  errors: ItemError[];
  error: { code: string; message: string } | null;
  cursor: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const sourceColumns = `s.id, s.collection_id AS "collectionId", c.slug AS "collectionSlug", s.kind, s.name, s.url, s.settings,
  s.schedule, s.paused, s.credentials IS NOT NULL AS "hasCredentials", s.sync_cursor AS cursor, s.next_sync_at AS "nextSyncAt",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;
const runColumns = `id, source_id AS "sourceId", trigger, mode, status, stage, added, changed, deleted, skipped, failed,
  readers_changed AS "readersChanged", errors, error,
  cursor, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

export interface NewSource {
  collectionId: string;
  kind: SourceKind;
  name: string;
  url: string;
  settings: SourceSettings;
  schedule: string | null;
  credentials: Buffer | null;
  nextSyncAt: Date | null;
  createdBy: string | null;
}

export async function insertSource(db: Queryable, source: NewSource): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sources (collection_id, kind, name, url, settings, schedule, credentials, next_sync_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      source.collectionId,
      source.kind,
      source.name,
      source.url,
      JSON.stringify(source.settings),
      source.schedule,
      source.credentials,
      source.nextSyncAt,
      source.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function findSource(db: Queryable, id: string): Promise<StoredSource | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<StoredSource>(
    `SELECT ${sourceColumns} FROM sources s JOIN collections c ON c.id = s.collection_id WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

/** Sources of the collections the user may edit, or every source (Tapeout itself: the CLI). */
export async function listSources(db: Queryable, scope: 'all' | { userId: string | null }): Promise<StoredSource[]> {
  const all = scope === 'all';
  const { rows } = await db.query<StoredSource>(
    `SELECT ${sourceColumns} FROM sources s JOIN collections c ON c.id = s.collection_id
      WHERE $1::boolean OR s.collection_id IN (${collectionScopes.editable('$2')}) ORDER BY c.slug, s.name`,
    [all, all ? null : scope.userId],
  );
  return rows;
}

export async function sealedCredentials(db: Queryable, id: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ credentials: Buffer | null }>('SELECT credentials FROM sources WHERE id = $1', [id]);
  return rows[0]?.credentials ?? null;
}

export interface SourceChange {
  name?: string;
  url?: string;
  settings?: SourceSettings;
  schedule?: string | null;
  nextSyncAt?: Date | null;
  paused?: boolean;
  /** null removes them. */
  credentials?: Buffer | null;
}

const changeColumns: Record<keyof SourceChange, string> = {
  name: 'name',
  url: 'url',
  settings: 'settings',
  schedule: 'schedule',
  nextSyncAt: 'next_sync_at',
  paused: 'paused',
  credentials: 'credentials',
};

export async function updateSource(db: Queryable, id: string, change: SourceChange): Promise<void> {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined) as [keyof SourceChange, unknown][];
  if (entries.length === 0) return;
  const sets = entries.map(([key], i) => `${changeColumns[key]} = $${i + 2}`);
  const values = entries.map(([key, value]) => (key === 'settings' ? JSON.stringify(value) : value));
  await db.query(`UPDATE sources SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [id, ...values]);
}

export async function deleteSource(db: Queryable, id: string): Promise<boolean> {
  return Boolean((await db.query('DELETE FROM sources WHERE id = $1', [id])).rowCount);
}

/** Scheduled sources due now, moved on to their next time in the same statement by the caller. */
export async function dueSources(db: Queryable): Promise<{ id: string; schedule: string }[]> {
  const { rows } = await db.query<{ id: string; schedule: string }>(
    'SELECT id, schedule FROM sources WHERE schedule IS NOT NULL AND NOT paused AND next_sync_at <= now() ORDER BY next_sync_at LIMIT 100',
  );
  return rows;
}

/**
 * Sources of these kinds (the ones whose connectors read permissions) due a permission-only sync,
 * moved on to their next one in the same statement: paused ones wait.
 */
export async function duePermissionSyncs(db: Queryable, kinds: readonly string[], everyMs: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE sources SET next_permission_sync_at = now() + make_interval(secs => $2::double precision / 1000)
      WHERE id IN (SELECT id FROM sources WHERE kind = ANY($1::text[]) AND NOT paused
                      AND coalesce(next_permission_sync_at, created_at + make_interval(secs => $2::double precision / 1000)) <= now()
                    ORDER BY next_permission_sync_at NULLS FIRST LIMIT 100)
      RETURNING id`,
    [kinds, everyMs],
  );
  return rows.map((row) => row.id);
}

/**
 * Takes or renews the source's lease for `runId`: true when this run holds it, false while another
 * run's lease has not lapsed.
 */
export async function holdLease(db: Queryable, sourceId: string, runId: string, forMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE sources SET lease_holder = $2, lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1 AND (lease_holder IS NULL OR lease_holder = $2 OR lease_expires_at < now())`,
    [sourceId, runId, forMs],
  );
  return rowCount === 1;
}

export async function releaseLease(db: Queryable, sourceId: string, runId: string): Promise<void> {
  await db.query('UPDATE sources SET lease_holder = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_holder = $2', [sourceId, runId]);
}

/** A new queued run, or the source's run already queued or running (one at a time). */
export async function queueRun(
  db: Queryable,
  sourceId: string,
  trigger: RunTrigger,
  mode: RunMode = 'content',
): Promise<{ run: SourceRun; created: boolean }> {
  const inserted = await db.query<SourceRun>(
    `INSERT INTO source_runs (source_id, trigger, mode) VALUES ($1, $2, $3)
     ON CONFLICT (source_id) WHERE status IN ('queued', 'running') DO NOTHING RETURNING ${runColumns}`,
    [sourceId, trigger, mode],
  );
  if (inserted.rows[0]) return { run: inserted.rows[0], created: true };
  const { rows } = await db.query<SourceRun>(
    `SELECT ${runColumns} FROM source_runs WHERE source_id = $1 AND status IN ('queued', 'running')`,
    [sourceId],
  );
  return { run: rows[0]!, created: false };
}

export async function findRun(db: Queryable, id: string): Promise<SourceRun | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<SourceRun>(`SELECT ${runColumns} FROM source_runs WHERE id = $1`, [id]);
  return rows[0];
}

export async function recentRuns(db: Queryable, sourceId: string, limit: number): Promise<SourceRun[]> {
  const { rows } = await db.query<SourceRun>(
    `SELECT ${runColumns} FROM source_runs WHERE source_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [sourceId, limit],
  );
  return rows;
}

/** The latest run of each source given. */
export async function lastRuns(db: Queryable, sourceIds: string[]): Promise<Map<string, SourceRun>> {
  const { rows } = await db.query<SourceRun>(
    `SELECT DISTINCT ON (source_id) ${runColumns} FROM source_runs WHERE source_id = ANY($1::uuid[]) ORDER BY source_id, created_at DESC`,
    [sourceIds],
  );
  return new Map(rows.map((run) => [run.sourceId, run]));
}

export interface RunUpdate extends Partial<RunCounts> {
  status?: RunStatus;
  stage?: string;
  errors?: ItemError[];
  error?: { code: string; message: string } | null;
  cursor?: unknown;
}

/** Updates a run; `running` stamps its start (once), `succeeded`/`failed` its end. */
export async function updateRun(db: Queryable, id: string, update: RunUpdate): Promise<SourceRun | undefined> {
  const { rows } = await db.query<SourceRun>(
    `UPDATE source_runs SET
       status = coalesce($2, status), stage = coalesce($3, stage),
       added = coalesce($4, added), changed = coalesce($5, changed), deleted = coalesce($6, deleted),
       skipped = coalesce($7, skipped), failed = coalesce($8, failed), errors = coalesce($9, errors),
       error = CASE WHEN $10::boolean THEN $11::jsonb ELSE error END, cursor = coalesce($12, cursor),
       readers_changed = coalesce($13, readers_changed),
       started_at = CASE WHEN $2 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
       finished_at = CASE WHEN $2 IN ('succeeded', 'failed') THEN now() ELSE finished_at END
     WHERE id = $1 RETURNING ${runColumns}`,
    [
      id,
      update.status ?? null,
      update.stage ?? null,
      update.added ?? null,
      update.changed ?? null,
      update.deleted ?? null,
      update.skipped ?? null,
      update.failed ?? null,
      update.errors ? JSON.stringify(update.errors) : null,
      update.error !== undefined,
      update.error ? JSON.stringify(update.error) : null,
      update.cursor !== undefined ? JSON.stringify(update.cursor) : null,
      update.readersChanged ?? null,
    ],
  );
  return rows[0];
}

/**
 * Runs to queue again: running ones whose lease lapsed (their process was killed) and queued ones
 * older than `queuedBeforeMs`; with `all`, every run queued or running.
 */
export async function orphanedRuns(db: Queryable, queuedBeforeMs: number, all = false): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id FROM source_runs r JOIN sources s ON s.id = r.source_id
      WHERE r.status IN ('queued', 'running') AND ($2::boolean
         OR (r.status = 'running' AND (s.lease_holder IS DISTINCT FROM r.id OR s.lease_expires_at < now()))
         OR (r.status = 'queued' AND r.created_at < now() - make_interval(secs => $1::double precision / 1000)))`,
    [queuedBeforeMs, all],
  );
  return rows.map((row) => row.id);
}

export async function setCursor(db: Queryable, sourceId: string, cursor: unknown): Promise<void> {
  await db.query('UPDATE sources SET sync_cursor = $2 WHERE id = $1', [sourceId, JSON.stringify(cursor)]);
}

/** What the last syncs stored: each item's key, the version seen, and its document. */
export async function storedItems(db: Queryable, sourceId: string): Promise<Map<string, { version: string; documentId: string }>> {
  const { rows } = await db.query<{ key: string; version: string; documentId: string }>(
    'SELECT item_key AS key, version, document_id AS "documentId" FROM source_items WHERE source_id = $1',
    [sourceId],
  );
  return new Map(rows.map((row) => [row.key, { version: row.version, documentId: row.documentId }]));
}

export async function recordItem(db: Queryable, sourceId: string, key: string, version: string, documentId: string): Promise<void> {
  await db.query(
    `INSERT INTO source_items (source_id, item_key, version, document_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source_id, item_key) DO UPDATE SET version = EXCLUDED.version, document_id = EXCLUDED.document_id, updated_at = now()`,
    [sourceId, key, version, documentId],
  );
}

export async function forgetItem(db: Queryable, sourceId: string, key: string): Promise<void> {
  await db.query('DELETE FROM source_items WHERE source_id = $1 AND item_key = $2', [sourceId, key]);
}

export async function countItems(db: Queryable, sourceIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ sourceId: string; n: number }>(
    'SELECT source_id AS "sourceId", count(*)::int AS n FROM source_items WHERE source_id = ANY($1::uuid[]) GROUP BY source_id',
    [sourceIds],
  );
  return new Map(rows.map((row) => [row.sourceId, row.n]));
}
