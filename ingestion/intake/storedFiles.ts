import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../server/db/Database.ts';

/**
 * Deletes a stored upload that nothing refers to any more (a superseded version, a failed
 * job's file). Files outside Tapeout's own files folder, such as the demo corpus, are left alone.
 */
export async function removeUnreferencedFile(db: Queryable, filesDir: string, storagePath: string | undefined): Promise<boolean> {
  if (!storagePath || path.relative(filesDir, storagePath).startsWith('..')) return false;
  const { rowCount } = await db.query(
    `SELECT 1 FROM documents WHERE storage_path = $1
     UNION ALL SELECT 1 FROM ingestion_jobs WHERE storage_path = $1 AND state IN ('queued', 'running')`,
    [storagePath],
  );
  if (rowCount) return false;
  await rm(storagePath, { force: true });
  return true;
}
