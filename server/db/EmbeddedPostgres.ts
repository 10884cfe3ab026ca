import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { lockDataDir } from './dataDirLock.ts';
import { SessionAffineQueryQueue } from './SessionAffineQueryQueue.ts';

const socketPort = 5432;
const socketName = `.s.PGSQL.${socketPort}`;
// Unix socket paths are limited to 107 bytes on Linux and 103 on macOS; keep a margin.
const maxSocketPath = 100;

export { DataDirInUseError } from './dataDirLock.ts';

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
    /** Where `pg` connects: the private directory holding the Unix socket. */
    readonly clientConfig: { host: string; port: number; user: string; database: string },
    /** A socket directory of our own under the temporary directory, removed on stop. */
    private readonly privateDir: string | undefined,
  ) {}

  static readonly socketName = socketName;
  static readonly maxSocketPath = maxSocketPath;

  // Room for this process's pool and for `tapeout worker` processes that share the embedded database.
  static readonly maxConnections = 32;

  /**
   * `dataDir` undefined keeps the database in memory (tests). `socketDir` serves the socket in a
   * private directory its caller made (0700) and removes: a supervisor restarting the database
   * keeps one address for its clients.
   */
  static async start(dataDir?: string, options: { socketDir?: string } = {}): Promise<EmbeddedPostgres> {
    let releaseLock = async () => {};
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      releaseLock = await lockDataDir(dataDir);
    }
    const server = net.createServer();
    server.maxConnections = EmbeddedPostgres.maxConnections;
    let listening: Awaited<ReturnType<typeof listen>> | undefined;
    let db: PGlite | undefined;
    try {
      // The database opens before the socket does: a client connecting earlier would wait on a
      // socket nobody serves instead of being refused, and a restart must look like "refused".
      db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector } });
      // Its pages are read from memory-mapped WASM files, so a random read costs about what a
      // sequential one does (Postgres' advice for cached data): with the default of 4 the planner
      // scanned every chunk for a two-word full-text query rather than use the GIN index (BM25 took
      // 39 ms instead of 25 on 10k chunks). PGlite has one session, so this holds for every client.
      await db.exec('SET random_page_cost = 1.1');
      listening = options.socketDir ? await listenIn(server, options.socketDir) : await listen(server, dataDir);
      const { privateDir, ...address } = listening;
      const embedded = new EmbeddedPostgres(db, server, releaseLock, { ...address, user: 'postgres', database: 'postgres' }, privateDir);
      embedded.serve(new SessionAffineQueryQueue(db));
      return embedded;
    } catch (error) {
      await db?.close().catch(() => {});
      server.close();
      if (listening?.privateDir) rmSync(listening.privateDir, { recursive: true, force: true });
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
    // Written to the data files now, so the next start replays no WAL.
    await this.db.exec('CHECKPOINT').catch(() => {});
    await this.db.close();
    if (this.privateDir) rmSync(this.privateDir, { recursive: true, force: true });
    await this.releaseLock();
  }
}

export class SocketPathError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database cannot open a private Unix socket: ${dataDir} is too long a path for one, and so is the temporary directory. ` +
        'Set TMPDIR to a short directory (such as /tmp), use a shorter DATA_DIR, or set DATABASE_URL to an external Postgres.',
    );
    this.name = 'SocketPathError';
  }
}

function listenOn(server: net.Server, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Serves the socket in `socketDir` (made 0700 here). A socket file left there by a process that
 * died is removed first: the data-directory lock, or the supervisor that made the directory,
 * proves nobody else serves it.
 */
async function listenIn(server: net.Server, socketDir: string): Promise<{ host: string; port: number }> {
  if (path.join(socketDir, socketName).length > maxSocketPath) throw new SocketPathError(socketDir);
  chmodSync(socketDir, 0o700);
  const socketPath = path.join(socketDir, socketName);
  rmSync(socketPath, { force: true });
  await listenOn(server, socketPath);
  chmodSync(socketPath, 0o600);
  return { host: socketDir, port: socketPort };
}

/**
 * PGlite accepts every connection without a password, so it is only ever served on a Unix socket
 * in a 0700 directory, where only the owner of the process can reach it; never on TCP, where any
 * local user could connect. The socket lives in the data directory itself when its path is short
 * enough, else (and for in-memory databases) in a private directory of its own under the system's
 * temporary directory, removed on stop. When neither fits, start-up is refused with a message.
 */
async function listen(server: net.Server, dataDir: string | undefined): Promise<{ host: string; port: number; privateDir?: string }> {
  if (dataDir && path.join(dataDir, socketName).length <= maxSocketPath) return listenIn(server, dataDir);
  for (const parent of [os.tmpdir(), '/tmp']) {
    if (path.join(parent, 'tapeout-pg-XXXXXX', socketName).length > maxSocketPath || !existsSync(parent)) continue;
    // mkdtemp creates the directory with mode 0700.
    const privateDir = mkdtempSync(path.join(parent, 'tapeout-pg-'));
    return { ...(await listenIn(server, privateDir)), privateDir };
  }
  throw new SocketPathError(dataDir ?? os.tmpdir());
}
