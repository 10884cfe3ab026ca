import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import { EmbeddedPostgres } from './EmbeddedPostgres.ts';
import { runMigrations } from './migrate.ts';

/** What a repository needs to run SQL: the Database itself or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * The single SQL code path: a `pg` pool, pointed either at an external Postgres with pgvector
 * (DATABASE_URL) or at the embedded PGlite server started here.
 */
export class Database {
  private constructor(
    readonly pool: pg.Pool,
    readonly mode: 'embedded' | 'external',
    readonly displayUrl: string,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(options: { databaseUrl?: string; embeddedDir?: string; logger: Logger }): Promise<Database> {
    const embedded = options.databaseUrl ? undefined : await EmbeddedPostgres.start(options.embeddedDir);
    const pool = embedded
      ? // The embedded server refuses connections beyond its limit instead of queueing them.
        new pg.Pool({ ...embedded.clientConfig, max: 8 })
      : new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    pool.on('error', (error) => options.logger.error({ err: error }, 'idle database client failed'));
    const displayUrl = embedded ? `embedded (${embedded.clientConfig.host})` : redactUrl(options.databaseUrl!);
    const database = new Database(pool, embedded ? 'embedded' : 'external', displayUrl, embedded);
    try {
      await runMigrations(pool, options.logger);
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values);
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Call after writes that change what queries see (documents ingested, deleted, re-embedded).
   * PGlite runs no autovacuum, so the embedded database refreshes the planner's statistics itself,
   * at most once per interval; an external Postgres does this on its own.
   */
  noteWrites(): void {
    if (this.mode !== 'embedded' || this.analyzeTimer) return;
    this.analyzeTimer = setTimeout(() => {
      this.analyzeTimer = undefined;
      this.pool.query('ANALYZE').catch(() => {});
    }, Database.analyzeAfterMs);
    this.analyzeTimer.unref();
  }

  static analyzeAfterMs = 30_000;
  private analyzeTimer: NodeJS.Timeout | undefined;

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.analyzeTimer);
    await this.pool.end();
    await this.embedded?.stop();
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
