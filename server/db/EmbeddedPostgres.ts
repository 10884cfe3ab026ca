import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';

export class DataDirInUseError extends Error {
  constructor(dir: string) {
    super(
      `The embedded database in ${dir} is in use by another Tapeout process. ` +
        'Stop it first, or set DATABASE_URL to share an external Postgres.',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Postgres in-process: PGlite (the real Postgres engine compiled to WASM) with pgvector,
 * served on a loopback socket so the rest of Tapeout talks to it through `pg` exactly as it
 * talks to an external server. PGlite is single-connection; the socket server multiplexes
 * several client connections and keeps a transaction pinned to the connection that opened it.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly releaseLock: () => Promise<void>,
    readonly connectionString: string,
  ) {}

  static readonly maxConnections = 16;

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async start(dataDir?: string): Promise<EmbeddedPostgres> {
    let releaseLock = async () => {};
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      // Two processes opening one PGlite directory corrupt it; refuse clearly instead.
      releaseLock = await lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, '.tapeout.lock'), stale: 15_000 }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ELOCKED') throw new DataDirInUseError(dataDir);
          throw error;
        },
      );
    }
    try {
      const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector } });
      const server = new PGLiteSocketServer({
        db,
        host: '127.0.0.1',
        port: 0,
        maxConnections: EmbeddedPostgres.maxConnections,
      });
      await server.start();
      const connectionString = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
      return new EmbeddedPostgres(db, server, releaseLock, connectionString);
    } catch (error) {
      await releaseLock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await this.releaseLock();
  }
}
