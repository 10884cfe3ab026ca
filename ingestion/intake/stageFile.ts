import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingCounter } from './hashingCounter.ts';
import type { ReceivedFile } from './receivedFile.ts';

/** The folder files wait in between arriving and being taken in (DATA_DIR/files/incoming). */
export const incomingDir = (dataDir: string) => path.join(dataDir, 'files', 'incoming');

/**
 * Writes a file that did not come through an HTTP upload (the CLI's, a test's) into the incoming
 * folder, hashing and counting it on the way as an upload is: ready for DocumentService.ingestUploads.
 * `filename` must already be safe (safeFilename).
 */
export async function stageFile(content: Readable, filename: string, dataDir: string): Promise<ReceivedFile> {
  const incoming = incomingDir(dataDir);
  await mkdir(incoming, { recursive: true });
  const tempPath = path.join(incoming, `${randomUUID()}.upload`);
  const counter = hashingCounter();
  await pipeline(content, counter.stream, createWriteStream(tempPath));
  return { filename, tempPath, ...counter.result() };
}
