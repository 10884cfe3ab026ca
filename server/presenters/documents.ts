import type { DocumentListing } from '../corpus/documentRepository.ts';
import type { AcceptedUpload, UploadOutcome } from '../documents/DocumentService.ts';

export function presentDocument(document: DocumentListing) {
  return {
    id: document.id,
    externalId: document.externalId,
    filename: document.filename,
    title: document.title,
    status: document.status,
    version: document.version,
    error: document.error,
    metadata: document.metadata,
    updatedAt: document.updatedAt,
    chunks: document.chunks,
  };
}

export function presentAcceptedUpload(upload: AcceptedUpload) {
  return { id: upload.id, filename: upload.filename, documentId: upload.documentId, outcome: upload.outcome };
}

export function presentUpload(outcome: UploadOutcome) {
  return {
    jobs: outcome.jobs.map(presentAcceptedUpload),
    unchanged: outcome.unchanged.map(({ filename, documentId }) => ({ filename, documentId })),
    rejected: outcome.rejected.map(({ filename, error }) => ({ filename, error: { code: error.code, message: error.message } })),
  };
}

/** A document as its collection's list answers it. */
export type DocumentResponse = ReturnType<typeof presentDocument>;

/** A file taken in: its ingestion job (`id`), its document, and whether it is new. */
export type AcceptedUploadResponse = ReturnType<typeof presentAcceptedUpload>;

/** POST /api/collections/:slug/documents: what was queued, what was already there, and what was refused and why. */
export type UploadResponse = ReturnType<typeof presentUpload>;
