import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTapeout, startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';

describe('tapeout start on a machine with nothing configured', () => {
  let dataDir: string;
  let tapeout: TapeoutProcess | undefined;
  let apiKey: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-e2e-'));
  });
  after(async () => {
    await tapeout?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const assistantSlugs = async (url: string) => {
    const response = await fetch(`${url}/api/assistants`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { assistants: { slug: string }[] };
    return body.assistants.map((assistant) => assistant.slug).sort();
  };

  it('is healthy within 60 s and prints the generated admin credentials once', async () => {
    const started = Date.now();
    tapeout = await startTapeoutProcess({ DATA_DIR: dataDir });
    const health = await fetch(`${tapeout.url}/healthz`);
    assert.equal(health.status, 200);
    assert.ok(Date.now() - started < 60_000);
    const key = /API key:\s+(tap_\S+)/.exec(tapeout.output());
    assert.ok(key, `no API key printed in:\n${tapeout.output()}`);
    apiKey = key[1]!;
    assert.match(tapeout.output(), /password:\s+\S{16,}/);
  });

  it('lists the three demo assistants', async () => {
    assert.deepEqual(await assistantSlugs(tapeout!.url), ['chip-design-helper', 'hr-policy', 'it-helpdesk']);
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(await tapeout!.stop(), 0);
    tapeout = undefined;
  });

  it('keeps its data across a restart, seeding and printing nothing again', async () => {
    tapeout = await startTapeoutProcess({ DATA_DIR: dataDir });
    assert.deepEqual(await assistantSlugs(tapeout.url), ['chip-design-helper', 'hr-policy', 'it-helpdesk']);
    assert.doesNotMatch(tapeout.output(), /shown only this once/);
    assert.doesNotMatch(tapeout.output(), /seeded demo assistants/);
  });

  it('refuses a second process on the same DATA_DIR with a clear message', async () => {
    const { code, output } = await runTapeout(['start'], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' });
    assert.equal(code, 1);
    assert.match(output, /in use by another Tapeout process/);
  });

  it('refuses to run a worker without a shared database and Redis', async () => {
    const { code, output } = await runTapeout(['worker'], { DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:6379' });
    assert.equal(code, 2);
    assert.match(output, /needs REDIS_URL and DATABASE_URL/);
  });

  it('stops at start-up on a bad value, naming the variable', async () => {
    const { code, output } = await runTapeout(['start'], { DATA_DIR: dataDir, PORT: 'eighty', LLM_BASE_URL: 'http://nim:8000' });
    assert.equal(code, 2);
    assert.match(output, /PORT: must be a port number/);
    assert.match(output, /LLM_BASE_URL: must end with \/v1/);
  });
});
