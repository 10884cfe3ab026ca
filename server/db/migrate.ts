import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import type { Logger } from '../logging/logger.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies pending SQL migrations (server/db/migrations) in one transaction. node-pg-migrate's
 * advisory lock makes concurrent start-ups of several server instances safe: the others wait.
 */
export async function runMigrations(pool: pg.Pool, logger: Logger): Promise<string[]> {
  const client = await pool.connect();
  // A migration's RAISE WARNING is advice for the operator (an index to rebuild by hand): log it.
  const logNotice = (notice: { severity?: string; message?: string }) => {
    if (notice.severity === 'WARNING') logger.warn({ migrationNotice: notice.message }, 'database migration: %s', notice.message);
  };
  client.on('notice', logNotice);
  try {
    const applied = await runner({
      dbClient: client,
      dir: migrationsDir,
      direction: 'up',
      migrationsTable: 'schema_migrations',
      advisoryLockMode: 'wait',
      singleTransaction: true,
      logger: { debug: () => {}, info: () => {}, warn: (msg: string) => logger.warn(msg), error: (msg: string) => logger.debug(msg) },
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) logger.info({ migrations: names }, 'applied database migrations');
    return names;
  } finally {
    client.off('notice', logNotice);
    client.release();
  }
}
