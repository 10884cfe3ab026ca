import { systemActor } from '../access/systemActor.ts';
import type { SourceLimits } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import type { DocumentService } from '../documents/DocumentService.ts';
import { NotFoundError } from '../errors.ts';
import type { JobQueue, TaskContext, TaskDefinition } from '../queue/JobQueue.ts';
import { PermanentTaskError } from '../queue/JobQueue.ts';
import type { TapeoutTasks } from '../queue/tapeoutTasks.ts';
import type { CredentialCipher } from './credentialCipher.ts';
import { SourceSyncError, type SourceConnector, type SourceListing } from './SourceConnector.ts';
import {
  findRun,
  findSource,
  forgetItem,
  holdLease,
  releaseLease,
  sealedCredentials,
  setCursor,
  storedItems,
  updateRun,
  updateSource,
  type ItemError,
  type RunCounts,
  type RunMode,
  type SourceRun,
  type StoredSource,
} from './sourceRepository.ts';
import { storeSourceItem } from './storeSourceItem.ts';
import { storeReadersOnly, updateReaders } from './storeReaders.ts';

export type SyncSourceDeps = {
  db: Database;
  queue: JobQueue;
  documents: Pick<DocumentService, 'delete' | 'filesDir'>;
  sourceConnectors: ReadonlyMap<string, SourceConnector>;
  credentialCipher: CredentialCipher;
  config: { sources: SourceLimits };
};

export type SyncSourceData = TapeoutTasks['SyncSourceTask'];
export const syncSourceTaskName = 'SyncSourceTask' as const;
export const syncJobIdOf = (runId: string) => `sync-${runId}`;

/** How long a run's lease on its source lasts without renewal; renewed three times as often. */
export const sourceLeaseMs = 60_000;
/** Errors of single items kept in a run (the counts count them all). */
const keptErrors = 200;

/** What a sync reports as progress: the run, and the collection whose editors watch it. */
export interface SourceRunProgress {
  kind: 'sourceRun';
  collectionId: string;
  run: SourceRun;
}

export const isSourceRunProgress = (data: unknown): data is SourceRunProgress =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'sourceRun';

export function enqueueSync(queue: Pick<JobQueue, 'enqueue'>, runId: string, retryId?: string): Promise<string> {
  return queue.enqueue(syncSourceTaskName, { runId }, { jobId: retryId ?? syncJobIdOf(runId) });
}

/**
 * One sync of a source: list it, delete what is gone, store what is new or changed (each item in
 * its own transaction, recorded as seen with its document), keep the cursor. Holding the source's
 * lease, so two syncs never overlap, across instances too. Safe to redo from the start: a run
 * killed half-way is queued again (SyncedSources.recoverOrphanedRuns) and finds the items it
 * stored already recorded, so it ends with the documents an uninterrupted run would have.
 */
export function syncSourceTask(deps: SyncSourceDeps): TaskDefinition<SyncSourceData, typeof syncSourceTaskName> {
  return {
    name: syncSourceTaskName,
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    async handle({ runId }, context) {
      const run = await findRun(deps.db, runId);
      if (!run || run.status === 'succeeded' || run.status === 'failed') return { skipped: run?.status ?? 'deleted' };
      const source = await findSource(deps.db, run.sourceId);
      if (!source) return { skipped: 'source deleted' };
      // The lease is the run's: a run re-delivered after its process was killed takes it over at
      // once. Another run's lease (one per source is queued or running at a time) is waited out.
      if (!(await holdLease(deps.db, source.id, run.id, sourceLeaseMs))) {
        return { skipped: 'held by another worker' };
      }
      const renewal = setInterval(
        () => void holdLease(deps.db, source.id, run.id, sourceLeaseMs).catch(() => undefined),
        sourceLeaseMs / 3,
      );
      try {
        return await syncOrFail(deps, source, run, context);
      } finally {
        clearInterval(renewal);
        await releaseLease(deps.db, source.id, run.id);
      }
    },
  };
}

async function syncOrFail(deps: SyncSourceDeps, source: StoredSource, run: SourceRun, context: TaskContext) {
  const report = async (update: Parameters<typeof updateRun>[2]) => {
    const view = await updateRun(deps.db, run.id, update);
    if (view) await context.updateProgress({ kind: 'sourceRun', collectionId: source.collectionId, run: view } satisfies SourceRunProgress);
  };
  await report({ status: 'running', stage: 'listing', error: null });
  const signal = AbortSignal.timeout(deps.config.sources.syncTimeoutMs);
  try {
    return await sync(deps, source, run.mode, signal, report);
  } catch (error) {
    const timedOut = signal.aborted;
    const code = timedOut ? 'sync_timeout' : error instanceof SourceSyncError ? error.code : 'sync_failed';
    const message = timedOut
      ? `The sync ran past CONNECTOR_SYNC_TIMEOUT_MS (${deps.config.sources.syncTimeoutMs} ms); what it stored is kept and the next sync goes on from there.`
      : (error as Error).message;
    const final = timedOut || error instanceof SourceSyncError || context.attempt >= 3;
    context.logger.warn({ err: error, sourceId: source.id, runId: run.id, final }, 'source sync failed');
    if (final) {
      await report({ status: 'failed', stage: 'failed', error: { code, message } });
      throw new PermanentTaskError(`${code}: ${message}`);
    }
    await report({ status: 'queued', stage: `retrying after: ${message}` });
    throw error;
  }
}

async function sync(
  deps: SyncSourceDeps,
  source: StoredSource,
  mode: RunMode,
  signal: AbortSignal,
  report: (update: Parameters<typeof updateRun>[2]) => Promise<void>,
): Promise<RunCounts> {
  const connector = deps.sourceConnectors.get(source.kind);
  if (!connector) throw new SourceSyncError('unsupported_kind', `This server has no ${source.kind} connector.`);
  const sealed = await sealedCredentials(deps.db, source.id);
  let credentials;
  try {
    credentials = sealed ? deps.credentialCipher.open(sealed) : undefined;
  } catch (error) {
    // Retrying cannot help until someone sets them again (or the old key comes back).
    throw new SourceSyncError('credentials_unavailable', (error as Error).message);
  }
  const stored = await storedItems(deps.db, source.id);
  const known = new Map([...stored].map(([key, item]) => [key, item.version]));
  const listing = await connector.list(
    { id: source.id, name: source.name, url: source.url, settings: source.settings, credentials, cursor: source.cursor },
    {
      mode,
      known,
      limits: deps.config.sources,
      signal,
      saveCredentials: (renewed) => updateSource(deps.db, source.id, { credentials: deps.credentialCipher.seal(renewed) }),
    },
  );
  try {
    if (mode === 'permissions') return await storeReadersOnly(deps.db, listing, stored, report);
    return await storeListing(deps, source, listing, stored, { signal, report });
  } finally {
    await listing.dispose?.();
  }
}

async function storeListing(
  deps: SyncSourceDeps,
  source: StoredSource,
  listing: SourceListing,
  stored: Awaited<ReturnType<typeof storedItems>>,
  { signal, report }: { signal: AbortSignal; report: (update: Parameters<typeof updateRun>[2]) => Promise<void> },
): Promise<RunCounts> {
  const failed = listing.failed ?? [];
  const counts: RunCounts = { added: 0, changed: 0, deleted: 0, skipped: listing.skipped.length, failed: failed.length, readersChanged: 0 };
  const errors: ItemError[] = [...failed, ...listing.skipped, ...(listing.notes ?? [])].slice(0, keptErrors);
  const note = (error: ItemError) => errors.length < keptErrors && errors.push(error);
  // Deletions first: the listing is complete, and a run stopped later must not leave them undone.
  const present = new Set(listing.items.map((item) => item.key));
  for (const [key, item] of stored) {
    if (present.has(key)) continue;
    await deps.documents.delete(systemActor, item.documentId).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
    await forgetItem(deps.db, source.id, key);
    counts.deleted++;
  }
  const changed = listing.items.filter((item) => stored.get(item.key)?.version !== item.version);
  // Readers first, for every stored item listed: a permission revoked at the source holds even for
  // an item whose new content cannot be read this time.
  counts.readersChanged = await updateReaders(deps.db, listing.items, stored);
  await report({ stage: `storing ${changed.length} changed of ${listing.items.length} items`, ...counts });
  await storeChanged(deps, source, listing, changed, { counts, note, signal, report });
  await setCursor(deps.db, source.id, listing.cursor);
  await report({ status: 'succeeded', stage: 'done', ...counts, errors, cursor: listing.cursor });
  return counts;
}

async function storeChanged(
  deps: SyncSourceDeps,
  source: StoredSource,
  listing: SourceListing,
  changed: SourceListing['items'],
  run: {
    counts: RunCounts;
    note: (error: ItemError) => void;
    signal: AbortSignal;
    report: (update: Parameters<typeof updateRun>[2]) => Promise<void>;
  },
) {
  const limits = deps.config.sources;
  const target = {
    sourceId: source.id,
    collectionId: source.collectionId,
    origin: { sourceId: source.id, sourceName: source.name, kind: source.kind },
  };
  let bytesRead = 0;
  let lastReport = Date.now();
  for (const [i, item] of changed.entries()) {
    run.signal.throwIfAborted();
    let bytes: Buffer;
    try {
      bytes = await item.read(limits.maxFileBytes);
    } catch (error) {
      if (run.signal.aborted) throw error;
      run.counts.failed++;
      run.note({ item: item.key, code: 'read_failed', message: (error as Error).message });
      continue;
    }
    if (bytes.length > limits.maxFileBytes) {
      run.counts.skipped++;
      run.note({ item: item.key, code: 'file_too_large', message: `Over CONNECTOR_MAX_FILE_BYTES (${limits.maxFileBytes}).` });
      continue;
    }
    bytesRead += bytes.length;
    if (bytesRead > limits.maxSyncBytes) {
      throw new SourceSyncError(
        'sync_too_large',
        `The changed items take more than CONNECTOR_MAX_SYNC_BYTES (${limits.maxSyncBytes} bytes).`,
      );
    }
    const outcome = await storeSourceItem({ db: deps.db, queue: deps.queue, filesDir: deps.documents.filesDir }, target, item, bytes);
    if (typeof outcome === 'object' && 'skipped' in outcome) {
      run.counts.skipped++;
      run.note({ item: item.key, ...outcome.skipped });
    } else {
      if (outcome.stored === 'added') run.counts.added++;
      else if (outcome.stored === 'changed') run.counts.changed++;
      if (outcome.readersChanged && outcome.stored !== 'added') run.counts.readersChanged++;
    }
    if (Date.now() - lastReport > 500) {
      lastReport = Date.now();
      await run.report({ stage: `storing (${i + 1} of ${changed.length} changed, ${listing.items.length} in all)`, ...run.counts });
    }
  }
}
