import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { hashingCounter } from '../../../ingestion/intake/hashingCounter.ts';
import type { ReceivedFile, UploadRejection } from '../../../ingestion/intake/receivedFile.ts';
import { safeFilename } from '../../../ingestion/intake/safeFilename.ts';

export class UploadFormatError extends Error {}

/** The request as a whole is over UPLOAD_MAX_REQUEST_BYTES (declared, or counted as it arrived). */
export class UploadTooLargeError extends Error {}

/** The client went away before the upload finished. */
export class UploadAbortedError extends Error {}

export interface UploadLimits {
  dir: string;
  /** Per file: a larger one is cut off, removed and reported; the others still go through. */
  maxBytes: number;
  /** The whole request: past it, the upload stops and nothing of it is kept. */
  maxRequestBytes: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

/**
 * The HTTP side of an upload: streams the `files` parts of a multipart request to temporary
 * files, hashing as they arrive, and hands them to ingestion as ReceivedFiles;
 * a file is never buffered whole. An upload that fails as a whole (malformed, over the request
 * limit, or abandoned by its client half-way) stops at once and leaves no file behind.
 */
export async function receiveUploads(
  req: IncomingMessage,
  limits: UploadLimits,
): Promise<{ files: ReceivedFile[]; rejected: UploadRejection[]; fields: Record<string, string> }> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxRequestBytes)
    throw new UploadTooLargeError(`The upload is ${mb(declared)}; a request may carry at most ${mb(limits.maxRequestBytes)}.`);
  await mkdir(limits.dir, { recursive: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: limits.maxBytes, files: 200, fields: 20 } });
  } catch (error) {
    throw new UploadFormatError(`Expected a multipart/form-data upload: ${(error as Error).message}`);
  }
  const files: ReceivedFile[] = [];
  const rejected: UploadRejection[] = [];
  const pending: Promise<void>[] = [];
  const streaming = new Set<Readable>();
  const tempPaths: string[] = [];
  const fields: Record<string, string> = {};
  let failed = false;
  let fail: (error: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    parser.once('close', resolve);
    parser.once('error', (error) => reject(new UploadFormatError(`The upload is malformed: ${(error as Error).message}`)));
    fail = (error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      for (const stream of streaming) stream.destroy(error);
      reject(error);
    };
  });
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (field, stream, info) => {
    const filename = safeFilename(info.filename ?? 'unnamed');
    if (field !== 'files' || failed) return void stream.resume();
    const tempPath = path.join(limits.dir, `${randomUUID()}.upload`);
    tempPaths.push(tempPath);
    streaming.add(stream);
    const counter = hashingCounter();
    pending.push(
      pipeline(stream, counter.stream, createWriteStream(tempPath)).then(async () => {
        streaming.delete(stream);
        if ((stream as { truncated?: boolean }).truncated) {
          await rm(tempPath, { force: true });
          rejected.push({
            filename,
            error: { code: 'file_too_large', message: `${filename} is larger than the ${mb(limits.maxBytes)} limit.` },
          });
        } else files.push({ filename, tempPath, ...counter.result() });
      }),
    );
  });
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limits.maxRequestBytes)
      fail(new UploadTooLargeError(`The upload is larger than the ${mb(limits.maxRequestBytes)} a request may carry.`));
  });
  req.once('close', () => {
    if (!req.complete) fail(new UploadAbortedError('The upload was interrupted before it finished.'));
  });
  req.pipe(parser);
  try {
    await finished;
    await Promise.all(pending);
  } catch (error) {
    await Promise.allSettled(pending);
    await Promise.all(tempPaths.map((tempPath) => rm(tempPath, { force: true })));
    throw error;
  }
  return { files, rejected, fields };
}
