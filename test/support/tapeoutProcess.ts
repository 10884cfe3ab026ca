import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface TapeoutProcess {
  child: ChildProcess;
  /** Where it serves: the web address, or `tapeout db`'s DATABASE_URL; empty for a worker. */
  url: string;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `tapeout start` (or another long-running command: `worker`, `db`) as a separate
 * process, as `npm start` does, and waits until it serves or processes tasks.
 */
export function startTapeoutProcess(env: Record<string, string>, timeoutMs = 60_000, args = ['start']): Promise<TapeoutProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/tapeout.js'), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  child.stderr!.on('data', (data) => (output += data));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tapeout did not serve within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      const match = /Tapeout is serving on (http:\/\/\S+?)"/.exec(output) ?? /Tapeout is serving on (http:\/\/\S+)/.exec(output);
      const worker = /Tapeout worker is processing background tasks/.test(output);
      const database = /DATABASE_URL=(\S+)/.exec(output);
      if (!match && !worker && !database) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        url: match?.[1] ?? database?.[1] ?? '',
        output: () => output,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tapeout exited with ${code} before serving:\n${output}`));
    });
  });
}

/** Runs a tapeout command to completion. */
export function runTapeout(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/tapeout.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data) => (output += data));
  child.stderr.on('data', (data) => (output += data));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
