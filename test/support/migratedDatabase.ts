import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Database } from '../../server/db/Database.ts';
import { silentLogger } from './testDatabase.ts';

const migrationsDir = path.join(import.meta.dirname, '../../server/db/migrations');

/**
 * Puts an embedded database, created and migrated by Tapeout's own code, at `pgDir` (a runtime's
 * `DATA_DIR/pg`). PGlite's initdb and the migrations cost 2-3 s of CPU per runtime; each spec file
 * is its own process and most boot at least one runtime, so the suite made about 60 of them. The
 * database is made once per set of migrations (and PGlite version) in the temporary directory and
 * copied (~0.3 s); the runtime's start still runs the migration check on it. The template stays in
 * the temporary directory for later runs (about 40 MB). First starts from an empty directory stay
 * covered by the specs that run `tapeout start` as a process.
 */
export async function copyMigratedDatabase(pgDir: string): Promise<void> {
  const template = await migratedTemplate();
  // cp copies its 1,100 files in about 0.2 s; node's fs.cp took 0.8 s.
  await promisify(execFile)('cp', ['-R', path.join(template, 'pg'), pgDir]);
}

async function migratedTemplate(): Promise<string> {
  const template = path.join(os.tmpdir(), `tapeout-test-database-${await schemaFingerprint()}`);
  if (existsSync(template)) return template;
  const building = await mkdtemp(`${template}-building-`);
  const db = await Database.open({ embeddedDir: path.join(building, 'pg'), logger: silentLogger });
  await db.close();
  // Two spec processes may build it at once: the first rename wins, the other's copy is dropped.
  await rename(building, template).catch(async (error: NodeJS.ErrnoException) => {
    await rm(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  });
  return template;
}

async function schemaFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(path.join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json')));
  for (const file of (await readdir(migrationsDir)).sort()) hash.update(file).update(await readFile(path.join(migrationsDir, file)));
  return hash.digest('hex').slice(0, 16);
}
