import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExtractionPool } from '../../../ingestion/extraction/ExtractionPool.ts';
import { lyingDocx } from '../../support/officeFixtures.ts';

describe('ExtractionPool', () => {
  let dir: string;
  const request = (filename: string) => ({ storagePath: path.join(dir, filename), filename, chunkSize: 512, chunkOverlap: 64 });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-extract-'));
    await writeFile(path.join(dir, 'notes.md'), '# Sign-off\n\n## Timing\n\nAll corners closed at 0 ps WNS.\n');
    // Three million tiny CSV rows: 15 MB on disk, several hundred MB once parsed into rows.
    await writeFile(path.join(dir, 'huge.csv'), 'part,qty\n' + 'r1,2\n'.repeat(3_000_000));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('parses and chunks a file in a worker thread', async () => {
    const pool = new ExtractionPool({ timeoutMs: 60_000, memoryMb: 256 });
    try {
      const result = await pool.extract(request('notes.md'));
      assert.ok(result.ok);
      assert.equal(result.title, 'Sign-off');
      assert.deepEqual(
        result.chunks.map((c) => [c.headingPath, c.text]),
        [[['Sign-off', 'Timing'], 'All corners closed at 0 ps WNS.']],
      );
    } finally {
      await pool.close();
    }
  });

  it('reports a missing file as file_missing', async () => {
    const pool = new ExtractionPool({ timeoutMs: 60_000, memoryMb: 256 });
    try {
      const result = await pool.extract(request('gone.md'));
      assert.deepEqual(result.ok ? 'parsed' : result.code, 'file_missing');
    } finally {
      await pool.close();
    }
  });

  it('refuses a file that needs more memory than the bound, and keeps working afterwards', async () => {
    const pool = new ExtractionPool({ timeoutMs: 120_000, memoryMb: 128, threads: 1 });
    try {
      const result = await pool.extract(request('huge.csv'));
      assert.equal(result.ok ? 'parsed' : result.code, 'parse_memory_exceeded');
      assert.match(result.ok ? '' : result.message, /more than 128 MB/);
      assert.ok((await pool.extract(request('notes.md'))).ok, 'a fresh thread takes the next file');
    } finally {
      await pool.close();
    }
  });

  it('gives up a parse that runs past the timeout, stopping its thread', async () => {
    const pool = new ExtractionPool({ timeoutMs: 300, memoryMb: 512, threads: 1 });
    try {
      const started = Date.now();
      const result = await pool.extract(request('huge.csv'));
      assert.equal(result.ok ? 'parsed' : result.code, 'parse_timeout');
      assert.ok(Date.now() - started < 5000, 'answered soon after the timeout');
    } finally {
      await pool.close();
    }
  });

  it('refuses an archive that lies about its sizes without the process taking the inflated gigabyte in memory', async () => {
    // 1.5 MB on disk, 1 GB inflated, 1 KB declared: the parser's own unzip would hold all of it, outside the thread's heap limit.
    await writeFile(path.join(dir, 'lying.docx'), await lyingDocx(1024 * 1024 * 1024, 1000));
    const pool = new ExtractionPool({ timeoutMs: 120_000, memoryMb: 256, threads: 1 });
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    try {
      const result = await pool.extract(request('lying.docx'));
      assert.equal(result.ok ? 'parsed' : result.code, 'archive_too_large');
      const grewMb = (peak - baseline) / 1024 / 1024;
      assert.ok(grewMb < 300, `the process grew by ${grewMb.toFixed(0)} MB`);
    } finally {
      clearInterval(sampler);
      await pool.close();
    }
  });
});
