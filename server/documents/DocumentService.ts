import { seesEveryDocumentTitle } from '../access/policies.ts';
import { readersOf, type ReaderView } from '../corpus/documentReaders.ts';
import { existsSync } from 'node:fs';
import { open, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  activeJobContentHashes,
  findJobView,
  insertIngestionJob,
  jobStoragePaths,
  targetVersionFor,
  type IngestionJobView,
} from '../corpus/ingestionJobs.ts';
import { removeUnreferencedFile } from '../corpus/storedFiles.ts';
import { registerDocument } from '../corpus/registerDocument.ts';
import type { ReceivedFile, UploadRejection } from '../../ingestion/intake/receivedFile.ts';
import { ParseError } from '../../ingestion/parsing/ParsedDocument.ts';
import { sniffFormat } from '../../ingestion/parsing/sniffFormat.ts';
import { enqueueIngestion } from '../../ingestion/tasks/IngestDocumentTask.ts';
import type { Principal } from '../auth/Principal.ts';
import type { CollectionService } from '../collections/CollectionService.ts';
import type { Database } from '../db/Database.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { JobQueue } from '../queue/JobQueue.ts';
import type { DocumentMetadata } from '../corpus/documentMetadata.ts';
import { findVisibleCollection } from '../corpus/collectionRepository.ts';
import { deleteDocument, findDocument, listDocuments, markDocumentPending, type DocumentListing } from '../corpus/documentRepository.ts';

export type { DocumentListing };

export interface AcceptedUpload {
  id: string;
  filename: string;
  documentId: string;
  outcome: 'added' | 'updated';
}

export interface UploadOutcome {
  jobs: AcceptedUpload[];
  unchanged: { filename: string; documentId: string }[];
  rejected: UploadRejection[];
}

async function head(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Documents of collections: taking uploads in, listing, jobs, deleting. */
export class DocumentService {
  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly collections: CollectionService,
    readonly filesDir: string,
  ) {}

  /**
   * Files already streamed to disk become documents: obvious refusals (empty, binary under a
   * text name, unsupported type) are answered at once; the rest are stored by content hash,
   * registered, and queued. Refused files leave nothing behind.
   */
  async ingestUploads(
    principal: Principal,
    collectionSlug: string,
    files: ReceivedFile[],
    source: 'upload' | 'cli' = 'upload',
    metadata?: DocumentMetadata,
  ): Promise<UploadOutcome> {
    const createdBy = principal.userId;
    const collection = await this.collections.findEditable(principal, collectionSlug).catch(async (error: unknown) => {
      await Promise.all(files.map((file) => rm(file.tempPath, { force: true })));
      throw error;
    });
    const outcome: UploadOutcome = { jobs: [], unchanged: [], rejected: [] };
    const dir = path.join(this.filesDir, collection.id);
    await mkdir(dir, { recursive: true });
    try {
      for (const file of files) await this.take(collection.id, dir, file, { createdBy, source, metadata }, outcome);
    } finally {
      // After an unexpected failure, files not yet taken in must not linger in the incoming folder.
      await Promise.all(files.map((file) => rm(file.tempPath, { force: true })));
    }
    return outcome;
  }

  /** One file: refused at once, found unchanged, or stored, registered and queued. */
  private async take(
    collectionId: string,
    dir: string,
    file: ReceivedFile,
    { createdBy, source, metadata }: { createdBy: string | null; source: 'upload' | 'cli'; metadata: DocumentMetadata | undefined },
    outcome: UploadOutcome,
  ): Promise<void> {
    try {
      await sniffFormat(await head(file.tempPath), file.filename);
    } catch (error) {
      await rm(file.tempPath, { force: true });
      if (!(error instanceof ParseError)) throw error;
      outcome.rejected.push({ filename: file.filename, error: { code: error.code, message: error.message } });
      return;
    }
    // Hash and name: two documents with the same bytes under different names never share a file.
    const storagePath = path.join(dir, `${file.contentHash}-${file.filename}`);
    await rename(file.tempPath, storagePath);
    const result = await this.db.transaction((client) =>
      registerDocument(client, {
        collectionId,
        filename: file.filename,
        source,
        storagePath,
        contentHash: file.contentHash,
        byteSize: file.byteSize,
        createdBy,
        metadata,
      }),
    );
    if (result.outcome === 'unchanged') {
      outcome.unchanged.push({ filename: file.filename, documentId: result.documentId });
      return;
    }
    await enqueueIngestion(this.queue, result.ingestionJobId);
    outcome.jobs.push({ id: result.ingestionJobId, filename: file.filename, documentId: result.documentId, outcome: result.outcome });
  }

  /** A collection's documents; for its editors, each one's own readers (a source's permissions) too. */
  async list(principal: Principal, collectionSlug: string): Promise<(DocumentListing & { readers?: ReaderView[] })[]> {
    const collection = await findVisibleCollection(this.db, principal.userId, collectionSlug);
    if (!collection) throw new NotFoundError(`Collection "${collectionSlug}"`);
    const documents = await listDocuments(this.db, collection.id, {
      userId: principal.userId,
      everyTitle: seesEveryDocumentTitle(principal),
    });
    if (!collection.editable) return documents;
    const readers = await readersOf(
      this.db,
      documents.map((document) => document.id),
    );
    return documents.map((document) => (readers.has(document.id) ? { ...document, readers: readers.get(document.id) } : document));
  }

  /** A job, for admins and the editors of its collection. */
  async job(principal: Principal, id: string): Promise<IngestionJobView> {
    const job = await this.findJob(id);
    await this.collections.assertEditable(principal, job.collectionId, `Job ${id}`);
    return job;
  }

  /** A job, without a permission check: for the local CLI, which holds the database itself. */
  async findJob(id: string): Promise<IngestionJobView> {
    const job = await findJobView(this.db, id);
    if (!job) throw new NotFoundError(`Job ${id}`);
    return job;
  }

  /**
   * Ingests a document again from its stored file: a failed one whose file was kept (its failure
   * was not the file's fault, such as an embedding service that stayed down), or a ready one
   * after its collection's chunking settings changed. The served version keeps serving until the
   * new one is complete.
   */
  async reingest(principal: Principal, id: string): Promise<AcceptedUpload> {
    const document = await findDocument(this.db, id);
    if (!document) throw new NotFoundError(`Document ${id}`);
    await this.collections.assertEditable(principal, document.collectionId, `Document ${id}`);
    if (!document.storagePath || !existsSync(document.storagePath)) {
      const reason = document.error ? ` It failed with ${document.error.code}: ${document.error.message}` : '';
      throw new ConflictError(
        `The file of this document was not kept, so it cannot be ingested again.${reason} Upload a corrected file instead.`,
      );
    }
    const jobId = await this.db.transaction(async (client) => {
      await findDocument(client, document.id, { lock: true });
      if ((await activeJobContentHashes(client, document.id)).length) throw new ConflictError('This document is already being ingested.');
      const job = await insertIngestionJob(client, {
        collectionId: document.collectionId,
        documentId: document.id,
        filename: document.filename,
        source: document.source,
        storagePath: document.storagePath!,
        contentHash: document.contentHash,
        byteSize: document.byteSize ?? 0,
        targetVersion: targetVersionFor(document),
        createdBy: principal.userId,
      });
      await markDocumentPending(client, document.id);
      return job;
    });
    await enqueueIngestion(this.queue, jobId);
    return { id: jobId, filename: document.filename ?? '', documentId: document.id, outcome: 'updated' };
  }

  /** Deletes a document; its chunks and jobs go with it (foreign keys cascade), then its stored files. */
  async delete(principal: Principal, id: string): Promise<void> {
    const found = await findDocument(this.db, id);
    if (!found) throw new NotFoundError(`Document ${id}`);
    await this.collections.assertEditable(principal, found.collectionId, `Document ${id}`);
    const jobFiles = await jobStoragePaths(this.db, found.id);
    const deleted = await deleteDocument(this.db, found.id);
    if (!deleted) throw new NotFoundError(`Document ${id}`);
    for (const file of new Set([deleted.storagePath ?? undefined, ...jobFiles])) {
      await removeUnreferencedFile(this.db, this.filesDir, file);
    }
  }
}
