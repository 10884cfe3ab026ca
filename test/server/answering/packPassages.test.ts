import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinOverlapping, packPassages } from '../../../server/answering/packPassages.ts';
import type { RetrievedPassage } from '../../../server/retrieval/HybridRetriever.ts';

const passage = (documentId: string, ordinal: number, text: string): RetrievedPassage => ({
  id: `${documentId}-${ordinal}`,
  documentId,
  collectionId: 'c',
  text,
  headingPath: [],
  page: null,
  lines: null,
  origin: null,
  ordinal,
  score: 1,
  title: documentId,
  filename: null,
  relevance: 1,
});

describe('packPassages', () => {
  it('merges neighbouring chunks of one document in document order, dropping their overlap', () => {
    const first = passage('rules', 4, 'Rule 4 covers reset synchronizers. The reset is asserted asynchronously.');
    const second = passage('rules', 5, 'The reset is asserted asynchronously. It is released synchronously by two flops.');
    const other = passage('faq', 1, 'Ask the DFT team about scan.');
    const packed = packPassages([second, other, first]);
    assert.deepEqual(
      packed.map((p) => [p.id, p.text]),
      [
        ['rules-5', 'Rule 4 covers reset synchronizers. The reset is asserted asynchronously. It is released synchronously by two flops.'],
        ['faq-1', 'Ask the DFT team about scan.'],
      ],
    );
  });

  it('stops at the token budget but still takes a later passage that fits', () => {
    const big = passage('a', 0, 'word '.repeat(90));
    const small = passage('b', 0, 'tiny');
    assert.deepEqual(
      packPassages(
        [big, big, small].map((p, i) => ({ ...p, id: String(i), documentId: String(i) })),
        100,
      ).map((p) => p.id),
      ['0', '2'],
    );
  });

  it('joins texts that do not overlap with a line break', () => {
    assert.equal(joinOverlapping('First part.', 'Second part.'), 'First part.\nSecond part.');
  });
});
