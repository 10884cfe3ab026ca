import { pino } from 'pino';
import { Database } from '../../server/db/Database.ts';

export const silentLogger = pino({ level: 'silent' });

/** A fresh in-memory PGlite with pgvector, migrated, reached through `pg` like production. */
export function openTestDatabase(embeddedDir?: string): Promise<Database> {
  return Database.open({ embeddedDir, logger: silentLogger });
}
