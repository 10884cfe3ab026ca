import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../db/Database.ts';
import { isFileOfDocument } from './documentRepository.ts';
import { isFileOfActiveJob } from './ingestionJobs.ts';

/**
 * Deletes a stored upload that nothing refers to any more (a superseded version, a failed
 * job's file). Files outside Tapeout's own files folder, such as the demo corpus, are left alone.
 */
export async function removeUnreferencedFile(db: Queryable, filesDir: string, storagePath: string | undefined): Promise<boolean> {
  if (!storagePath || path.relative(filesDir, storagePath).startsWith('..')) return false;
  if ((await isFileOfDocument(db, storagePath)) || (await isFileOfActiveJob(db, storagePath))) return false;
  await rm(storagePath, { force: true });
  return true;
}
