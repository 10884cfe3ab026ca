import type { IngestionJobView } from '../corpus/ingestionJobs.ts';

export function presentIngestionJob(job: IngestionJobView) {
  return {
    id: job.id,
    state: job.state,
    progress: job.progress,
    stage: job.stage,
    error: job.error,
    documentId: job.documentId,
    collectionId: job.collectionId,
    filename: job.filename,
    etaSeconds: job.etaSeconds,
    attempts: job.attempts,
    updatedAt: job.updatedAt,
  };
}

/** An ingestion job as admins see it: GET /api/jobs/:id and socket.io's `ingestion:progress`. */
export type IngestionJobResponse = ReturnType<typeof presentIngestionJob>;
