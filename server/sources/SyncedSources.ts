import { CronExpressionParser } from 'cron-parser';
import type { Principal } from '../auth/Principal.ts';
import type { CollectionService } from '../collections/CollectionService.ts';
import type { SourceLimits } from '../config/index.ts';
import { documentsFromSource } from '../corpus/documentRepository.ts';
import type { Database } from '../db/Database.ts';
import type { DocumentService } from '../documents/DocumentService.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { JobQueue } from '../queue/JobQueue.ts';
import { systemActor } from '../access/systemActor.ts';
import type { CredentialCipher, SourceCredentials } from './credentialCipher.ts';
import type { SourceConnector } from './SourceConnector.ts';
import {
  countItems,
  deleteSource,
  duePermissionSyncs,
  dueSources,
  findSource,
  insertSource,
  lastRuns,
  listSources,
  orphanedRuns,
  queueRun,
  recentRuns,
  updateSource,
  type RunMode,
  type RunTrigger,
  type SourceKind,
  type SourceRun,
  type SourceSettings,
  type StoredSource,
} from './sourceRepository.ts';
import { enqueueSync } from './SyncSourceTask.ts';

/** Every source syncs hourly unless it says otherwise (`schedule: null` syncs only when asked). */
export const defaultSchedule = '0 * * * *';

export interface NewSourceRequest {
  kind: SourceKind;
  collection: string;
  name: string;
  url: string;
  settings: SourceSettings;
  schedule?: string | null;
  credentials?: SourceCredentials;
}

export interface SourceChangeRequest {
  name?: string;
  url?: string;
  settings?: SourceSettings;
  schedule?: string | null;
  paused?: boolean;
  /** null removes them. */
  credentials?: SourceCredentials | null;
}

export interface SourceView extends StoredSource {
  items: number;
  lastRun: SourceRun | null;
}

/**
 * Sources kept in sync with a collection: adding, changing and deleting them (admins and the
 * collection's editors), asking for a sync, and the schedule that asks by itself.
 */
export class SyncedSources {
  constructor(
    private readonly deps: {
      db: Database;
      queue: Pick<JobQueue, 'enqueue'>;
      collections: Pick<CollectionService, 'findEditable' | 'assertEditable'>;
      documents: Pick<DocumentService, 'delete'>;
      connectors: ReadonlyMap<string, SourceConnector>;
      cipher: CredentialCipher;
      limits: SourceLimits;
    },
  ) {}

  async create(principal: Principal, request: NewSourceRequest): Promise<{ source: SourceView; run: SourceRun }> {
    const collection = await this.deps.collections.findEditable(principal, request.collection);
    const schedule = request.schedule === undefined ? defaultSchedule : request.schedule;
    const nextSyncAt = nextTime(schedule);
    const settings = await this.connector(request.kind).validate(request.url, request.settings, this.deps.limits);
    const id = await insertSource(this.deps.db, {
      collectionId: collection.id,
      kind: request.kind,
      name: request.name,
      url: request.url,
      settings,
      schedule,
      credentials: request.credentials ? this.deps.cipher.seal(request.credentials) : null,
      nextSyncAt,
      createdBy: principal.userId,
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(`The collection "${request.collection}" already has a source named "${request.name}".`);
      }
      throw error;
    });
    const run = await this.queue(id, 'created');
    return { source: await this.view(id), run };
  }

  async list(principal: Principal): Promise<SourceView[]> {
    return this.withState(await listSources(this.deps.db, principal.system ? 'all' : { userId: principal.userId }));
  }

  async get(principal: Principal, id: string): Promise<SourceView & { runs: SourceRun[] }> {
    await this.editable(principal, id);
    return { ...(await this.view(id)), runs: await recentRuns(this.deps.db, id, 20) };
  }

  async update(principal: Principal, id: string, change: SourceChangeRequest): Promise<SourceView> {
    const source = await this.editable(principal, id);
    const settings =
      change.url !== undefined || change.settings !== undefined
        ? await this.connector(source.kind).validate(change.url ?? source.url, change.settings ?? source.settings, this.deps.limits)
        : undefined;
    requireCredentialsWithNewEndpoint(source, { ...change, settings });
    const schedule = change.schedule === undefined ? source.schedule : change.schedule;
    await updateSource(this.deps.db, id, {
      name: change.name,
      url: change.url,
      settings,
      schedule: change.schedule,
      paused: change.paused,
      nextSyncAt: change.schedule !== undefined || change.paused === false ? nextTime(schedule) : undefined,
      credentials: change.credentials === undefined ? undefined : change.credentials && this.deps.cipher.seal(change.credentials),
    });
    return this.view(id);
  }

  /** Deletes the source and every document it brought; the connector forgets what it kept. */
  async delete(principal: Principal, id: string): Promise<void> {
    const source = await this.editable(principal, id);
    // Documents first: a failure part-way leaves the source, to delete again, never orphans. Once the
    // source row is gone a running sync can store nothing more (source_items' key), so a second pass
    // takes what it stored meanwhile.
    await this.deleteDocumentsOf(id);
    await deleteSource(this.deps.db, id);
    await this.deleteDocumentsOf(id);
    await this.connector(source.kind).forget(id);
  }

  private async deleteDocumentsOf(sourceId: string): Promise<void> {
    for (const documentId of await documentsFromSource(this.deps.db, sourceId)) {
      await this.deps.documents.delete(systemActor, documentId).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    }
  }

  /**
   * Queues a sync now (a permission-only one when asked, for kinds that read permissions); while
   * one is queued or running, that one is returned (`created` false).
   */
  async requestSync(principal: Principal, id: string, mode: RunMode = 'content'): Promise<{ run: SourceRun; created: boolean }> {
    const source = await this.editable(principal, id);
    if (source.paused) throw new ConflictError(`The source "${source.name}" is paused: resume it to sync.`);
    if (mode === 'permissions' && !this.connector(source.kind).syncsPermissions) {
      throw new ValidationError(
        `A ${source.kind} source has no permissions to sync: its documents are read by whoever reads the collection.`,
      );
    }
    const { run, created } = await queueRun(this.deps.db, id, 'manual', mode);
    await enqueueSync(this.deps.queue, run.id);
    return { run, created };
  }

  /** Queues the scheduled sources that are due, and moves each on to its next time. */
  async queueDueSyncs(): Promise<number> {
    const due = await dueSources(this.deps.db);
    for (const source of due) {
      await updateSource(this.deps.db, source.id, { nextSyncAt: nextTime(source.schedule) });
      await this.queue(source.id, 'schedule');
    }
    return due.length;
  }

  /** Queues a permission-only sync of each source due one (every CONNECTOR_PERMISSION_SYNC_MINUTES), for kinds that read permissions. */
  async queueDuePermissionSyncs(): Promise<number> {
    const kinds = [...this.deps.connectors.values()].filter((connector) => connector.syncsPermissions).map((connector) => connector.kind);
    if (kinds.length === 0) return 0;
    const due = await duePermissionSyncs(this.deps.db, kinds, this.deps.limits.permissionSyncMs);
    for (const sourceId of due) await this.queue(sourceId, 'schedule', 'permissions');
    return due.length;
  }

  /**
   * Queues again the runs whose worker was killed: a running one whose lease lapsed, a queued one
   * whose task was lost. At the start of a process with the in-process queue (`atStart`), every
   * run left queued or running: that queue kept none of them, and a run re-delivered holds its own
   * lease, so it resumes at once instead of after the lease lapses.
   */
  async recoverOrphanedRuns({ atStart = false } = {}): Promise<number> {
    const runs = await orphanedRuns(this.deps.db, 60_000, atStart);
    for (const runId of runs) await enqueueSync(this.deps.queue, runId, `sync-${runId}-resumed-${Date.now()}`);
    return runs.length;
  }

  private async queue(sourceId: string, trigger: RunTrigger, mode: RunMode = 'content'): Promise<SourceRun> {
    const { run, created } = await queueRun(this.deps.db, sourceId, trigger, mode);
    if (created) await enqueueSync(this.deps.queue, run.id);
    return run;
  }

  private async editable(principal: Principal, id: string): Promise<StoredSource> {
    const source = await findSource(this.deps.db, id);
    if (!source) throw new NotFoundError(`Source ${id}`);
    await this.deps.collections.assertEditable(principal, source.collectionId, `Source ${id}`);
    return source;
  }

  private async view(id: string): Promise<SourceView> {
    return (await this.withState([(await findSource(this.deps.db, id))!]))[0]!;
  }

  /** Sources with how many items they hold and their latest run. */
  private async withState(sources: StoredSource[]): Promise<SourceView[]> {
    const ids = sources.map((source) => source.id);
    const [runs, items] = await Promise.all([lastRuns(this.deps.db, ids), countItems(this.deps.db, ids)]);
    return sources.map((source) => ({ ...source, items: items.get(source.id) ?? 0, lastRun: runs.get(source.id) ?? null }));
  }

  private connector(kind: SourceKind): SourceConnector {
    const connector = this.deps.connectors.get(kind);
    if (!connector) throw new ValidationError(`This server has no ${kind} connector.`);
    return connector;
  }
}

/** Settings that name where credentials are sent besides the source's URL. */
const endpointSettings = ['tokenUrl', 'graphUrl'] as const;

/**
 * Sealed credentials go only where they were given for: a change of the URL, or of a token or
 * API endpoint (compared in the settings as the connector normalised them), must come with the credentials again (or remove them), so an editor cannot send
 * a token someone else set to a host of their choosing.
 */
function requireCredentialsWithNewEndpoint(source: StoredSource, change: SourceChangeRequest): void {
  if (!source.hasCredentials || change.credentials !== undefined) return;
  const urlMoved = change.url !== undefined && change.url !== source.url;
  const endpointMoved =
    change.settings !== undefined && endpointSettings.some((key) => (change.settings![key] ?? null) !== (source.settings[key] ?? null));
  if (urlMoved || endpointMoved) {
    throw new ValidationError(
      'credentials: give them again (or null to remove them) when the URL or a token endpoint changes: they are sent only where they were given for.',
    );
  }
}

/** The next time a cron schedule (UTC) fires, or null for none. Throws ValidationError for a bad expression. */
export function nextTime(schedule: string | null, from = new Date()): Date | null {
  if (schedule === null) return null;
  try {
    return CronExpressionParser.parse(schedule, { tz: 'UTC', currentDate: from }).next().toDate();
  } catch (error) {
    throw new ValidationError(
      `schedule: "${schedule}" is not a cron expression (${(error as Error).message}); for example "0 * * * *" is hourly.`,
    );
  }
}
