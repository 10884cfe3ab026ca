import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTapeout } from '../support/tapeoutProcess.ts';

const dataset = path.resolve(import.meta.dirname, '../fixtures/beir-mini');

describe('tapeout eval', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-evalcli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('ingests a BEIR folder through the pipeline, ranks documents per query and prints the scores', async () => {
    const runFile = path.join(dir, 'run.txt');
    const { code, output } = await runTapeout(['eval', dataset, '--run-file', runFile], {
      DATA_DIR: path.join(dir, 'unused'),
      LOG_LEVEL: 'warn',
    });
    assert.equal(code, 0, output);
    const scores = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1));
    assert.deepEqual(
      { queries: scores.queries, ndcgAt10: scores.ndcgAt10, recallAt10: scores.recallAt10, embedder: scores.embedder },
      { queries: 2, ndcgAt10: 1, recallAt10: 1, embedder: 'tapeout-hashing-v3' },
    );
    const lines = (await readFile(runFile, 'utf8')).trim().split('\n');
    assert.match(lines[0]!, /^q1 Q0 d1 1 \d+\.\d{6} tapeout$/);
    assert.ok(lines.every((line) => /^q[123] Q0 d[1-6] \d+ /.test(line)));
  });

  it('refuses a folder that is not a BEIR dataset, naming what is missing', async () => {
    const { code, output } = await runTapeout(['eval', dir], { LOG_LEVEL: 'warn' });
    assert.equal(code, 2);
    assert.match(output, /Not a BEIR folder: missing corpus\.jsonl, queries\.jsonl, qrels\/test\.tsv/);
  });
});
