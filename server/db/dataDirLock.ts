import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** The lock (a directory, proper-lockfile's) held by the one process that opened `dataDir`. */
function embeddedLockPath(dataDir: string): string {
  return path.join(dataDir, '.tapeout.lock');
}

/** Who holds the lock; beside it, because proper-lockfile removes its directory with rmdir. */
const ownerPath = (dataDir: string) => path.join(dataDir, '.tapeout.lock.owner');
/** Made exclusively by the one process taking over a dead holder's lock. */
const takeoverPath = (dataDir: string) => path.join(dataDir, '.tapeout.lock.takeover');

// proper-lockfile refreshes the lock's mtime; one untouched this long is taken over anyway.
const staleMs = 15_000;
/** Data directories this process holds, so that an owner with our own PID can be told apart. */
const heldHere = new Set<string>();

interface Owner {
  pid: number;
  host: string;
}

export class DataDirInUseError extends Error {
  constructor(dir: string, pid?: number) {
    super(
      `The embedded database in ${dir} is in use by another Tapeout process${pid ? ` (PID ${pid})` : ''}. ` +
        'Stop it first, or set DATABASE_URL to share an external Postgres.',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Locks a data directory for this process: two processes opening one PGlite directory corrupt it.
 * A lock whose holder has died (killed, out of memory) is taken over at once, as Postgres does
 * with its postmaster.pid, instead of refusing until the lock goes stale. Returns the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  let release: () => Promise<void>;
  try {
    release = await lock(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const owner = readOwner(dataDir);
    if (!owner || heldHere.has(path.resolve(dataDir)) || isAlive(owner)) throw new DataDirInUseError(dataDir, owner?.pid);
    release = await takeOver(dataDir, owner);
  }
  writeFileSync(ownerPath(dataDir), JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies Owner));
  heldHere.add(path.resolve(dataDir));
  return async () => {
    heldHere.delete(path.resolve(dataDir));
    rmSync(ownerPath(dataDir), { force: true });
    await release();
  };
}

async function lock(dataDir: string): Promise<() => Promise<void>> {
  return lockfile.lock(dataDir, { lockfilePath: embeddedLockPath(dataDir), stale: staleMs }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOCKED') throw new DataDirInUseError(dataDir);
    throw error;
  });
}

/**
 * Removes a dead holder's lock and locks. Only the process that creates the takeover marker
 * does so: two starting at once could otherwise each remove the lock the other just took.
 */
async function takeOver(dataDir: string, dead: Owner): Promise<() => Promise<void>> {
  const marker = takeoverPath(dataDir);
  if (ageMs(marker) > staleMs) rmSync(marker, { force: true }); // left by a process that died taking over
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx' });
  } catch {
    throw new DataDirInUseError(dataDir);
  }
  try {
    if (readOwner(dataDir)?.pid !== dead.pid) throw new DataDirInUseError(dataDir); // taken meanwhile
    rmSync(embeddedLockPath(dataDir), { recursive: true, force: true });
    return await lock(dataDir);
  } finally {
    rmSync(marker, { force: true });
  }
}

function readOwner(dataDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerPath(dataDir), 'utf8')) as Partial<Owner>;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder may still run. A process on another machine (a shared volume) cannot be
 * checked: assumed alive. Our own PID is a previous process's (a container restarted hands out
 * the same low PIDs again): this one does not hold the directory (see heldHere).
 */
function isAlive(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
