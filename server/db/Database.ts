import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import { DatabaseUnavailableError } from '../errors.ts';
import { EmbeddedDatabaseProcess } from './EmbeddedDatabaseProcess.ts';
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
    private readonly embedded: EmbeddedPostgres | EmbeddedDatabaseProcess | undefined,
  ) {}

  /**
   * `embeddedProcess` runs the embedded database in a supervised process of its own (a database
   * in memory always stays in this process).
   */
  static async open(options: { databaseUrl?: string; embeddedDir?: string; embeddedProcess?: boolean; logger: Logger }): Promise<Database> {
    const embedded = options.databaseUrl
      ? undefined
      : options.embeddedProcess && options.embeddedDir
        ? await EmbeddedDatabaseProcess.start(options.embeddedDir, options.logger)
        : await EmbeddedPostgres.start(options.embeddedDir);
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

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /**
   * Sends statements as one message (the simple query protocol): one round trip and one implicit
   * transaction, so a `SET LOCAL` holds for the statements after it and ends with them, and an
   * error leaves no transaction open. The embedded database serves one session at a time: a
   * transaction of several round trips holds it while this process's event loop gets round to
   * each next statement, and under load every other query waits that long. The simple protocol
   * takes no parameters; write values in with inlineParameters(). Returns the last result.
   */
  async queryInOneMessage<R extends pg.QueryResultRow = pg.QueryResultRow>(statements: string[]): Promise<pg.QueryResult<R>> {
    const results = (await this.query<R>(statements.join(';\n'))) as pg.QueryResult<R> | pg.QueryResult<R>[];
    return Array.isArray(results) ? results.at(-1)! : results;
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw asUnavailable(error);
    });
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionFailure(error)) broken = error;
      else await client.query('ROLLBACK').catch(() => {});
      throw asUnavailable(error);
    } finally {
      // A connection that failed is dropped, not handed to the next caller.
      client.release(broken instanceof Error ? broken : undefined);
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

/** Errors of the connection itself (the server gone or restarting), not of the statement. */
export function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'].includes(code)) return true;
  return /Connection terminated|Client has encountered a connection error|connection timeout/i.test(message ?? '');
}

function asUnavailable(error: unknown): unknown {
  return isConnectionFailure(error) ? new DatabaseUnavailableError(error) : error;
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
