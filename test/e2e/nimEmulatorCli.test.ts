import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runTapeout } from '../support/tapeoutProcess.ts';

const root = path.resolve(import.meta.dirname, '../..');

function startEmulatorProcess(args: string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/tapeout.js'), 'nim-emulator', '--port', '0', ...args], { cwd: root });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 30_000);
    child.stdout.on('data', (data) => {
      output += data;
      const match = /serving on (http:\/\/\S+\/v1)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop: () => child.kill('SIGTERM') });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

describe('tapeout nim-emulator', () => {
  it('serves with warm-up and faults given on the command line', async () => {
    const { url, stop } = await startEmulatorProcess([
      '--warmup-ms',
      '400',
      '--fault',
      '{"kind":"http-error","endpoint":"ranking","status":429,"shape":"openai","times":1}',
    ]);
    try {
      assert.equal((await fetch(`${url}/health/ready`)).status, 503);
      assert.equal((await fetch(`${url}/health/live`)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await fetch(`${url}/health/ready`)).status, 200);
      const rank = () =>
        fetch(`${url}/ranking`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'nvidia/llama-3.2-nv-rerankqa-1b-v2', query: { text: 'a' }, passages: [{ text: 'a' }] }),
        });
      const faulted = await rank();
      assert.equal(faulted.status, 429);
      assert.deepEqual(await faulted.json(), { error: { message: 'injected 429 error', type: 'BadRequestError', code: 429 } });
      assert.equal((await rank()).status, 200);
    } finally {
      stop();
    }
  });

  it('refuses a malformed --fault with a clear message', async () => {
    const { code, output } = await runTapeout(['nim-emulator', '--port', '0', '--fault', '{"kind":"meltdown"}'], {});
    assert.equal(code, 2);
    assert.match(output, /--fault: .*kind/);
  });
});
