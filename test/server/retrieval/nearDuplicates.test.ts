import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutNearDuplicates } from '../../../server/retrieval/nearDuplicates.ts';

describe('withoutNearDuplicates', () => {
  it('keeps the best-ranked copy of a passage repeated almost word for word, and everything different', () => {
    const rule = 'Every clock-gating cell has its test enable tied to scan_en so that scan shift reaches every flop behind it.';
    const ranked = [
      { id: 'a', text: rule },
      { id: 'b', text: 'Hold violations are fixed with delay cells on the capture side after clock tree synthesis.' },
      { id: 'c', text: `${rule.toUpperCase()}  ` },
      { id: 'd', text: rule.replace('every flop', 'all flops') },
    ];
    assert.deepEqual(
      withoutNearDuplicates(ranked).map((p) => p.id),
      ['a', 'b', 'd'],
    );
  });
});
