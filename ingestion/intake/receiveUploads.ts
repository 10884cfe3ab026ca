import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { hashingCounter } from './hashingCounter.ts';
import { safeFilename } from './safeFilename.ts';

export interface ReceivedFile {
  filename: string;
  tempPath: string;
  contentHash: string;
  byteSize: number;
}

export interface UploadRejection {
  filename: string;
  error: { code: string; message: string };
}

export class UploadFormatError extends Error {}

/**
 * Streams the `files` parts of a multipart request to temporary files, hashing as they arrive.
 * A file over `maxBytes` is cut off while streaming (never buffered whole), removed, and
 * reported; the other files of the request still go through.
 */
export async function receiveUploads(
  req: IncomingMessage,
  options: { dir: string; maxBytes: number },
): Promise<{ files: ReceivedFile[]; rejected: UploadRejection[]; fields: Record<string, string> }> {
  await mkdir(options.dir, { recursive: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: options.maxBytes, files: 200, fields: 20 } });
  } catch (error) {
    throw new UploadFormatError(`Expected a multipart/form-data upload: ${(error as Error).message}`);
  }
  const files: ReceivedFile[] = [];
  const rejected: UploadRejection[] = [];
  const pending: Promise<void>[] = [];
  const fields: Record<string, string> = {};
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (field, stream, info) => {
    const filename = safeFilename(info.filename ?? 'unnamed');
    if (field !== 'files') return void stream.resume();
    const tempPath = path.join(options.dir, `${randomUUID()}.upload`);
    const counter = hashingCounter();
    pending.push(
      pipeline(stream, counter.stream, createWriteStream(tempPath)).then(async () => {
        if ((stream as { truncated?: boolean }).truncated) {
          await rm(tempPath, { force: true });
          rejected.push({ filename, error: { code: 'file_too_large', message: `${filename} is larger than the ${Math.round(options.maxBytes / 1048576)} MB limit.` } });
        } else files.push({ filename, tempPath, ...counter.result() });
      }),
    );
  });
  const finished = new Promise<void>((resolve, reject) => {
    parser.once('close', resolve);
    parser.once('error', (error) => reject(new UploadFormatError(`The upload is malformed: ${(error as Error).message}`)));
  });
  req.pipe(parser);
  try {
    await finished;
    await Promise.all(pending);
  } catch (error) {
    await Promise.allSettled(pending);
    await Promise.all(files.map((file) => rm(file.tempPath, { force: true })));
    throw error;
  }
  return { files, rejected, fields };
}
