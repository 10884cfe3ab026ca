import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTapeout, startTapeoutProcess } from '../support/tapeoutProcess.ts';

describe('tapeout ingest', () => {
  let dir: string;
  const apiKey = 'tap_ingest_cli_spec_0123456789abcdef';
  // No demo corpus and no CPU sentence encoder: ingesting and encoding them in the background is not what this spec is about.
  const env = () => ({ DATA_DIR: path.join(dir, 'data'), ADMIN_API_KEY: apiKey, SEED_DEMO: 'false', SENTENCE_ENCODER: 'off' });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-ingest-'));
    await mkdir(path.join(dir, 'docs', 'nested'), { recursive: true });
    await writeFile(path.join(dir, 'docs', 'gating.md'), '# Clocks\n\n## Gating\n\nICG cells gate clocks with an enable latch.\n');
    await writeFile(path.join(dir, 'docs', 'nested', 'notes.txt'), 'Notes about scan_en and DFT.');
    await writeFile(path.join(dir, 'docs', 'nested', 'broken.pdf'), randomBytes(2048));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('ingests a folder recursively with no server running, and reports each failure', async () => {
    const { code, output } = await runTapeout(['ingest', path.join(dir, 'docs'), '--collection', 'chip-design', '--create'], env());
    assert.match(output, /through the embedded database/);
    assert.match(output, /Added 2, updated 0, unchanged 0, failed 1\./);
    assert.match(output, /failed: .*broken\.pdf: corrupt_file/);
    assert.equal(code, 1);
  });

  it("goes through the running server's API when the server holds the database", async () => {
    await writeFile(
      path.join(dir, 'docs', 'gating.md'),
      '# Clocks\n\n## Gating\n\nICG cells gate clocks with an enable latch, revision B.\n',
    );
    const server = await startTapeoutProcess(env());
    try {
      const { output } = await runTapeout(['ingest', path.join(dir, 'docs'), '--collection', 'chip-design', '--server', server.url], env());
      assert.match(output, /through the server at http/);
      assert.match(output, /Added 0, updated 1, unchanged 1, failed 1\./);
    } finally {
      await server.stop();
    }
  });

  it('refuses two files that would become versions of one document', async () => {
    await mkdir(path.join(dir, 'other'), { recursive: true });
    await writeFile(path.join(dir, 'other', 'gating.md'), '# Other\n\ntext.');
    const { code, output } = await runTapeout(
      ['ingest', path.join(dir, 'docs'), path.join(dir, 'other'), '--collection', 'chip-design'],
      env(),
    );
    assert.equal(code, 2);
    assert.match(output, /gating\.md/);
  });

  it('names an unknown collection', async () => {
    const { code, output } = await runTapeout(['ingest', path.join(dir, 'docs'), '--collection', 'nope'], env());
    assert.equal(code, 2);
    assert.match(output, /Collection "nope" was not found/);
  });
});
