import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';
import { SessionAffineQueryQueue } from './SessionAffineQueryQueue.ts';

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
 * served on a private local socket so the rest of Tapeout talks to it through `pg` exactly as it
 * talks to an external server. PGlite has one session; pglite-socket's protocol handler serves
 * each connection and SessionAffineQueryQueue shares the session between them safely.
 */
export class EmbeddedPostgres {
  private readonly handlers = new Set<PGLiteSocketHandler>();

  private constructor(
    private readonly db: PGlite,
    private readonly server: net.Server,
    private readonly releaseLock: () => Promise<void>,
    /** Where `pg` connects: a socket directory (host starting with /) or loopback TCP. */
    readonly clientConfig: { host: string; port: number; user: string; database: string },
  ) {}

  // Room for this process's pool and for `tapeout worker` processes that share the embedded database.
  static readonly maxConnections = 32;

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
      const server = net.createServer();
      server.maxConnections = EmbeddedPostgres.maxConnections;
      const address = await listen(server, dataDir);
      const embedded = new EmbeddedPostgres(db, server, releaseLock, { ...address, user: 'postgres', database: 'postgres' });
      embedded.serve(new SessionAffineQueryQueue(db));
      return embedded;
    } catch (error) {
      await releaseLock();
      throw error;
    }
  }

  private serve(queryQueue: SessionAffineQueryQueue): void {
    this.server.on('connection', (socket) => {
      const handler = new PGLiteSocketHandler({
        // The handler's option is typed with pglite-socket's own queue class; ours has its public surface.
        queryQueue: queryQueue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
        closeOnDetach: true,
      });
      this.handlers.add(handler);
      const forget = () => this.handlers.delete(handler);
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      handler.attach(socket).catch(() => {
        forget();
        socket.destroy();
      });
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.handlers].map((handler) => handler.detach(true)));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.db.close();
    await this.releaseLock();
  }
}

const socketPort = 5432;
// Unix socket paths are limited to about 107 bytes; keep a margin.
const maxSocketPath = 100;

function listenOn(server: net.Server, target: string | net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * PGlite accepts every connection without a password, so a persisted database is served on a
 * Unix socket inside its own 0700 directory, where only the owner of the process can reach it.
 * In-memory databases (tests) and data directories too deep for a socket path use loopback TCP.
 */
async function listen(server: net.Server, dataDir: string | undefined): Promise<{ host: string; port: number }> {
  const socketPath = dataDir && path.join(dataDir, `.s.PGSQL.${socketPort}`);
  if (dataDir && socketPath && socketPath.length <= maxSocketPath) {
    chmodSync(dataDir, 0o700);
    // A socket left by a crashed process; the data-directory lock proves nobody else serves it.
    rmSync(socketPath, { force: true });
    await listenOn(server, socketPath);
    chmodSync(socketPath, 0o600);
    return { host: dataDir, port: socketPort };
  }
  await listenOn(server, { host: '127.0.0.1', port: 0 });
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}
