import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DataDirInUseError, lockDataDir } from '../../../server/db/dataDirLock.ts';

const moduleUrl = new URL('../../../server/db/dataDirLock.ts', import.meta.url).href;

/** Another process holding the lock, as a `tapeout db` would. */
async function holderOf(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { lockDataDir } = await import(${JSON.stringify(moduleUrl)}); await lockDataDir(process.env.LOCK_DIR); console.log('locked'); setInterval(() => {}, 1000);`,
    ],
    { env: { ...process.env, LOCK_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('the embedded database directory lock', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-lock-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('refuses while its holder lives, naming the holder', async () => {
    const dir = await freshDir();
    const holder = await holderOf(dir);
    children.push(holder);
    await assert.rejects(
      lockDataDir(dir),
      (error: Error) => error instanceof DataDirInUseError && error.message.includes(`PID ${holder.pid}`),
    );
    await killed(holder);
  });

  it('takes over at once the lock of a holder that was killed, not after it goes stale', async () => {
    const dir = await freshDir();
    await killed(await holderOf(dir));
    const started = Date.now();
    const release = await lockDataDir(dir);
    assert.ok(Date.now() - started < 5_000, 'well before the 15 s after which a lock is stale');
    assert.equal(JSON.parse(readFileSync(path.join(dir, '.tapeout.lock.owner'), 'utf8')).pid, process.pid, 'and records its new holder');
    await release();
    assert.equal(existsSync(path.join(dir, '.tapeout.lock')), false, 'released');
    assert.equal(existsSync(path.join(dir, '.tapeout.lock.owner')), false);
  });

  it('takes over a lock recorded with its own PID by a previous process (a restarted container), but never one it holds', async () => {
    const dir = await freshDir();
    await killed(await holderOf(dir));
    writeFileSync(path.join(dir, '.tapeout.lock.owner'), JSON.stringify({ pid: process.pid, host: os.hostname() }));
    const release = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), DataDirInUseError, 'a second open in this process');
    await release();
  });

  it('never assumes a holder on another host dead (a shared volume)', async () => {
    const dir = await freshDir();
    const holder = await holderOf(dir);
    await killed(holder);
    writeFileSync(path.join(dir, '.tapeout.lock.owner'), JSON.stringify({ pid: holder.pid, host: 'another-host' }));
    await assert.rejects(lockDataDir(dir), DataDirInUseError);
  });

  it("lets only one of two processes take a dead holder's lock over", async () => {
    const dir = await freshDir();
    await killed(await holderOf(dir));
    const outcomes = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir)]);
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    assert.ok(refused.reason instanceof DataDirInUseError);
    await (outcomes.find((outcome) => outcome.status === 'fulfilled') as PromiseFulfilledResult<() => Promise<void>>).value();
  });
});
