import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { DatabaseProcessMessage } from '../db/EmbeddedDatabaseProcess.ts';
import { DataDirInUseError, EmbeddedPostgres, SocketPathError } from '../db/EmbeddedPostgres.ts';
import type { Logger } from '../logging/logger.ts';

/** How long the database may take to stop once its server is gone, before it exits anyway. */
const orphanStopDeadlineMs = 10_000;

/**
 * `tapeout db`: the embedded database (PGlite with pgvector) alone, served on its private Unix
 * socket. `tapeout start` runs it as a child process it supervises (its IPC channel carries the
 * "ready" message, and its closing stops this process); run by hand, several server instances on
 * one machine share it through the DATABASE_URL printed here.
 */
export async function dbCommand(options: { pgDir?: string; socketDir?: string }, config: Config, logger: Logger): Promise<void> {
  const dataDir = path.resolve(options.pgDir ?? path.join(config.dataDir, 'pg'));
  const send = (message: DatabaseProcessMessage) => process.send?.(message);
  let database: EmbeddedPostgres;
  try {
    database = await EmbeddedPostgres.start(dataDir, { socketDir: options.socketDir });
  } catch (error) {
    const code = error instanceof DataDirInUseError ? 'in-use' : error instanceof SocketPathError ? 'socket-path' : undefined;
    send({ type: 'failed', error: (error as Error).message, ...(code ? { code } : {}) });
    logger.fatal(code ? (error as Error).message : { err: error }, 'the embedded database could not start');
    process.exit(1);
  }
  const { host, port } = database.clientConfig;
  send({ type: 'ready', host, port });
  if (!process.send) {
    logger.info({ dataDir }, `Tapeout's embedded database is serving on the Unix socket in ${host}`);
    console.log(`  DATABASE_URL=postgresql://postgres@localhost/postgres?host=${encodeURIComponent(host)}`);
  }
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'the embedded database is stopping');
    await database.stop();
    process.exit(0);
  };
  // Supervised, a Ctrl-C reaches this process too; it waits for its server, which stops it last.
  process.on('SIGINT', () => void (process.send ? undefined : stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The supervising server is gone (even killed): stop cleanly rather than hold the data directory.
  // Not for ever: a stop still checkpointing after a heavy write is cut short, which the next
  // start recovers from like any crash, and which lets that start take the data directory over.
  process.on('disconnect', () => {
    setTimeout(() => {
      logger.warn({ afterMs: orphanStopDeadlineMs }, 'the embedded database did not stop in time after its server went; exiting');
      process.exit(1);
    }, orphanStopDeadlineMs).unref();
    void stop('its server stopped');
  });
}
