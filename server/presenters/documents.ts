import type { DocumentListing } from '../corpus/documentRepository.ts';
import type { ReaderView } from '../corpus/documentReaders.ts';
import type { AcceptedUpload, UploadOutcome } from '../documents/DocumentService.ts';

/** A document's own readers as its source names them, with the Tapeout group a source's group matched. */
function presentReaders(readers: ReaderView[] | undefined) {
  return readers?.map((reader) => ({ kind: reader.kind, key: reader.key, name: reader.name, matchedGroup: reader.matchedGroup }));
}

export function presentDocument(document: DocumentListing & { readers?: ReaderView[] }) {
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
    /** Whether its own readers narrow the collection's grants (a source's permissions). */
    restricted: document.restricted,
    /** Its readers, for the collection's editors; absent when it has none of its own. */
    readers: presentReaders(document.readers),
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
