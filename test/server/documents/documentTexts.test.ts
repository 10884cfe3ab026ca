import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinOverlapping } from '../../../server/documents/DocumentTexts.ts';

describe('a whole document from its chunks', () => {
  it('gives the text each overlap once', () => {
    const chunks = [
      'The first part of the checklist covers power and clocks before sign-off.',
      'clocks before sign-off. The second part covers scan insertion and test coverage.',
      'scan insertion and test coverage. The last part lists the tape-out reviewers.',
    ];
    assert.equal(
      joinOverlapping(chunks),
      'The first part of the checklist covers power and clocks before sign-off. The second part covers scan insertion and test coverage. The last part lists the tape-out reviewers.',
    );
  });

  it('keeps chunks that do not overlap apart, and loses nothing of them', () => {
    assert.equal(
      joinOverlapping(['# Power\n\nUse the UPF from the library.', '# Clocks\n\nConstrain every generated clock.']),
      '# Power\n\nUse the UPF from the library.\n\n# Clocks\n\nConstrain every generated clock.',
    );
  });

  // A quadratic join would run for minutes on this; the timeout fails it.
  it('gets through a text that repeats itself', { timeout: 10_000 }, () => {
    const repeated = 'ab'.repeat(200_000);
    assert.ok(joinOverlapping([repeated, repeated, repeated]).length >= repeated.length);
  });
});
