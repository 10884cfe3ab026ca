import { readFile } from 'node:fs/promises';
import { chunkDocument } from '../chunking/chunkDocument.ts';
import type { Chunk } from '../../server/corpus/Chunk.ts';
import { ParseError } from '../parsing/ParsedDocument.ts';
import { parseDocument } from '../parsing/parseDocument.ts';
import type { JobFailureCode } from '../ingestionFailureCodes.ts';

export interface ExtractionRequest {
  storagePath: string;
  filename: string;
  /** Read HTML as a reader view would (a crawled page). */
  readerView?: boolean;
  chunkSize: number;
  chunkOverlap: number;
}

export interface ExtractionFailure {
  ok: false;
  code: JobFailureCode;
  message: string;
}

/** When parsing and chunking ran, in epoch milliseconds, for the job's trace (spans cannot cross the thread). */
export interface ExtractionTimings {
  parseStart: number;
  parseEnd: number;
  chunkEnd: number;
}

export type ExtractionResult =
  { ok: true; title: string; mimeType: string; chunks: Chunk[]; timings: ExtractionTimings } | ExtractionFailure;

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Runs inside a pool thread: reads the stored file, parses it and chunks it. Failures come back
 * as values because error subclasses (and their codes) do not survive the thread boundary.
 */
export default async function extract(request: ExtractionRequest): Promise<ExtractionResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(request.storagePath);
  } catch {
    return { ok: false, code: 'file_missing', message: `The stored file for ${request.filename} is missing.` };
  }
  try {
    const parseStart = epochMs();
    const parsed = await parseDocument(bytes, request.filename, { readerView: request.readerView ?? false });
    const parseEnd = epochMs();
    const chunks = await chunkDocument(parsed, { chunkSize: request.chunkSize, chunkOverlap: request.chunkOverlap });
    return { ok: true, title: parsed.title, mimeType: parsed.mimeType, chunks, timings: { parseStart, parseEnd, chunkEnd: epochMs() } };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'corrupt_file', message: `${request.filename} cannot be parsed: ${(error as Error).message}` };
  }
}
