import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logging/logger.ts';
import { DataDirInUseError, EmbeddedPostgres, SocketPathError } from './EmbeddedPostgres.ts';

/** What the database process tells its supervisor over the IPC channel. */
export type DatabaseProcessMessage =
  { type: 'ready'; host: string; port: number } | { type: 'failed'; error: string; code?: 'in-use' | 'socket-path' };

const cli = path.resolve(import.meta.dirname, '../../bin/tapeout.js');
const readyTimeoutMs = 120_000;
const stopTimeoutMs = 30_000;
const maxRestartDelayMs = 10_000;

/**
 * The embedded database in a process of its own (`tapeout db`), started and supervised here.
 * PGlite runs every statement on the thread that holds it; in its own process that thread is not
 * the server's, so SQL never delays a request, a socket event or a streamed token, and the
 * second core works. Clients reach it with `pg` on the same private Unix socket across restarts:
 * when it dies it is started again (after a short, growing delay if it keeps dying), the stale
 * data-directory lock of the dead process is cleared, and the pool reconnects by itself.
 */
export class EmbeddedDatabaseProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private consecutiveFailures = 0;

  private constructor(
    private readonly dataDir: string,
    private readonly socketDir: string,
    private readonly ownsSocketDir: boolean,
    private readonly logger: Logger,
    readonly clientConfig: { host: string; port: number; user: string; database: string },
  ) {}

  static async start(dataDir: string, logger: Logger): Promise<EmbeddedDatabaseProcess> {
    mkdirSync(dataDir, { recursive: true });
    const { socketDir, owned } = socketDirectoryFor(dataDir);
    const supervisor = new EmbeddedDatabaseProcess(dataDir, socketDir, owned, logger, {
      host: socketDir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
    try {
      await supervisor.spawn();
      logger.info({ pid: supervisor.pid }, 'the embedded database process is serving');
    } catch (error) {
      supervisor.removeSocketDir();
      throw error;
    }
    return supervisor;
  }

  /** The process id of the database process now serving, for operators and tests. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawn(): Promise<void> {
    // It logs as its supervisor does (a batch command keeps its info lines quiet).
    const child = fork(cli, ['db', '--pg-dir', this.dataDir, '--socket-dir', this.socketDir, '--log-level', this.logger.level], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // A debugger attached to the server would otherwise make the child fail to bind its port.
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--inspect')),
    });
    this.child = child;
    let served = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The embedded database process did not start within ${readyTimeoutMs / 1000} s.`));
      }, readyTimeoutMs);
      child.on('message', (message: DatabaseProcessMessage) => {
        clearTimeout(timer);
        if (message.type === 'ready') {
          served = true;
          resolve();
        } else if (message.code === 'in-use') reject(new DataDirInUseError(this.dataDir));
        else if (message.code === 'socket-path') reject(new SocketPathError(this.dataDir));
        else reject(new Error(`The embedded database process could not start: ${message.error}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (served) this.onExit(child, code, signal);
        else reject(new Error(`The embedded database process exited (${signal ?? code}) before it served.`));
      });
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || this.child !== child) return;
    this.child = undefined;
    this.logger.error({ code, signal }, 'the embedded database process stopped; restarting it');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delayMs = Math.min(maxRestartDelayMs, 250 * 2 ** this.consecutiveFailures++);
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    // The dead process's lock on the data directory is taken over by the new one (dataDirLock.ts).
    try {
      await this.spawn();
      this.consecutiveFailures = 0;
      this.logger.info({ pid: this.child?.pid }, 'the embedded database process is serving again');
    } catch (error) {
      this.logger.error({ err: error }, 'the embedded database process could not be restarted; trying again');
      this.scheduleRestart();
    }
  }

  /** Asks the database process to stop (it checkpoints and closes), and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.logger.error('the embedded database process did not stop in time; killing it');
        child.kill('SIGKILL');
      }, stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    this.removeSocketDir();
  }

  private removeSocketDir(): void {
    if (this.ownsSocketDir) rmSync(this.socketDir, { recursive: true, force: true });
  }
}

/**
 * The socket stays at one path for the supervisor's life: the data directory itself when its
 * path is short enough, else a private directory made here (mkdtemp: mode 0700).
 */
function socketDirectoryFor(dataDir: string): { socketDir: string; owned: boolean } {
  if (path.join(dataDir, EmbeddedPostgres.socketName).length <= EmbeddedPostgres.maxSocketPath) return { socketDir: dataDir, owned: false };
  for (const parent of [os.tmpdir(), '/tmp']) {
    if (!existsSync(parent) || path.join(parent, 'tapeout-pg-XXXXXX', EmbeddedPostgres.socketName).length > EmbeddedPostgres.maxSocketPath)
      continue;
    return { socketDir: mkdtempSync(path.join(parent, 'tapeout-pg-')), owned: true };
  }
  throw new SocketPathError(dataDir);
}
