import type { SourceRun } from '../sources/sourceRepository.ts';
import type { SourceView } from '../sources/SyncedSources.ts';

export function presentSourceRun(run: SourceRun) {
  return {
    id: run.id,
    sourceId: run.sourceId,
    trigger: run.trigger,
    /** 'permissions': a permission-only sync, which re-reads who may read each item and changes nothing else. */
    mode: run.mode,
    status: run.status,
    stage: run.stage,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    createdAt: run.createdAt,
    counts: {
      added: run.added,
      changed: run.changed,
      deleted: run.deleted,
      skipped: run.skipped,
      failed: run.failed,
      readersChanged: run.readersChanged,
    },
    error: run.error && { code: run.error.code, message: run.error.message },
    errors: run.errors.map(({ item, code, message }) => ({ item, code, message })),
    /** Where the run left the source (the commit it synced), once it succeeded. */
    cursor: run.cursor ?? null,
  };
}

/** A source; its credentials are never part of it, only whether it has some. */
export function presentSyncedSource(source: SourceView) {
  return {
    id: source.id,
    kind: source.kind,
    collection: source.collectionSlug,
    name: source.name,
    url: source.url,
    settings: { ...source.settings },
    schedule: source.schedule,
    paused: source.paused,
    hasCredentials: source.hasCredentials,
    nextSyncAt: source.nextSyncAt,
    items: source.items,
    lastRun: source.lastRun && presentSourceRun(source.lastRun),
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}

export function presentSyncedSourceDetail(source: SourceView & { runs: SourceRun[] }) {
  return { ...presentSyncedSource(source), runs: source.runs.map(presentSourceRun) };
}

/** A source as GET /api/sources lists it. */
export type SyncedSourceResponse = ReturnType<typeof presentSyncedSource>;
/** GET /api/sources/:id: the source with its recent runs. */
export type SyncedSourceDetailResponse = ReturnType<typeof presentSyncedSourceDetail>;
/** A sync of a source: its status, counts and errors. */
export type SourceRunResponse = ReturnType<typeof presentSourceRun>;
