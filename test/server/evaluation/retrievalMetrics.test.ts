import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTrecRun, scoreRun } from '../../../server/evaluation/retrievalMetrics.ts';

const qrels = new Map([
  [
    'q1',
    new Map([
      ['d1', 2],
      ['d2', 1],
      ['d3', 0],
    ]),
  ],
  ['q2', new Map([['d9', 1]])],
  ['q3', new Map([['d5', 0]])], // no judgment above 0: not scored
]);
const asked = new Set(['q1', 'q2', 'q3']);
const ranked = (...ids: string[]) => ids.map((documentId, i) => ({ documentId, score: 1 - i / 10 }));

describe('scoreRun', () => {
  it('scores a perfect run 1 and counts only queries with a relevant document', () => {
    const run = new Map([
      ['q1', ranked('d1', 'd2')],
      ['q2', ranked('d9')],
      ['q3', ranked('d5')],
    ]);
    assert.deepEqual(scoreRun(run, qrels, asked), {
      ndcgAt10: 1,
      recallAt10: 1,
      recallAt100: 1,
      mrrAt10: 1,
      queries: 2,
      skippedWithoutText: 0,
    });
  });

  it('uses graded gains and the ideal order of all judged documents', () => {
    // q1 ranks the grade-1 document first: DCG = 1/log2(2) + 2/log2(3); ideal = 2 + 1/log2(3).
    const run = new Map([
      ['q1', ranked('d2', 'd1')],
      ['q2', ranked('dx', 'd9')],
    ]);
    const scores = scoreRun(run, qrels, asked);
    const q1 = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3));
    const q2 = 1 / Math.log2(3);
    assert.equal(scores.ndcgAt10, Math.round(((q1 + q2) / 2) * 10_000) / 10_000);
    assert.equal(scores.mrrAt10, 0.75);
  });

  it('counts recall within the cut-off, and a missing query as zero', () => {
    const late = [...ranked(...Array.from({ length: 50 }, (_, i) => `n${i}`)), { documentId: 'd9', score: 0 }];
    const scores = scoreRun(new Map([['q2', late]]), qrels, asked);
    assert.deepEqual([scores.recallAt10, scores.recallAt100], [0, 0.5]);
  });

  it('skips judged queries that have no text instead of counting them as misses', () => {
    // q2 is judged but was never asked (queries.jsonl lacks it): trec_eval would not score it either.
    const scores = scoreRun(new Map([['q1', ranked('d1', 'd2')]]), qrels, new Set(['q1']));
    assert.deepEqual([scores.ndcgAt10, scores.queries, scores.skippedWithoutText], [1, 1, 1]);
  });

  it('writes TREC run lines', () => {
    assert.equal(formatTrecRun(new Map([['q1', ranked('d1', 'd2')]])), 'q1 Q0 d1 1 1.000000 tapeout\nq1 Q0 d2 2 0.900000 tapeout\n');
  });
});
