import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractiveAnswer } from '../../../server/answering/extractiveAnswer.ts';

const sources = [
  { number: 1, text: 'Enables end in _en. The divided-clock enable of the peripheral block is clk_div_en. Registers end in _q.' },
  { number: 2, text: 'Setup is fixed by restructuring logic. Hold is fixed by inserting delay cells after clock tree synthesis.' },
  { number: 3, text: '- Every clock-gating cell has a test enable tied to scan_en.\n- Chains are balanced to at most 200 flops.' },
];

describe('extractiveAnswer', () => {
  it('quotes the sentence naming an identifier, with its citation', () => {
    const answer = extractiveAnswer('What is clk_div_en?', sources);
    assert.match(answer.text, /^The divided-clock enable of the peripheral block is clk_div_en\. \[1\]/);
    assert.equal(answer.citations[0], 1);
  });

  it('finds sentences by ordinary words too, and cites each source used', () => {
    const answer = extractiveAnswer('How is hold fixed after clock tree synthesis?', sources);
    assert.match(answer.text, /Hold is fixed by inserting delay cells after clock tree synthesis\. \[2\]/);
    assert.ok(answer.citations.includes(2));
  });

  it('reads list items as sentences', () => {
    assert.match(extractiveAnswer('What is the test enable of a clock-gating cell tied to?', sources).text, /tied to scan_en\. \[3\]/);
  });

  it('quotes the comments of code, a comment over two lines as one sentence, and no declaration', () => {
    const rtl = {
      number: 1,
      text: [
        '// PLL lock monitor. pll_lock_err rises when the PLL reports loss of lock for LOCK_LOSS_CYCLES',
        '// reference cycles in a row; firmware must then re-run the calibration.',
        'module pll_ctrl #(',
        '  parameter int LOCK_LOSS_CYCLES = 64',
        ') (',
        '  input  logic clk_ref,',
        '  output logic pll_lock_err',
        ');',
        '  assign pll_lock_err = (unlock_count_q == LOCK_LOSS_CYCLES);',
        'endmodule',
      ].join('\n'),
    };
    const answer = extractiveAnswer('When does pll_lock_err rise?', [rtl]);
    assert.equal(
      answer.text,
      // ICU keeps "monitor. pll_lock_err" in one sentence: a sentence does not start in lower case.
      'PLL lock monitor. pll_lock_err rises when the PLL reports loss of lock for LOCK_LOSS_CYCLES reference cycles in a row; firmware must then re-run the calibration. [1]',
    );
  });

  it('reads prose with a few lines ending in a colon or comma as prose', () => {
    const prose = {
      number: 1,
      text: 'The signoff corners are:\n- ss_0p72v_125c for setup,\n- ff_0p88v_m40c for hold.\nEach corner is run nightly by the flow team.',
    };
    assert.match(extractiveAnswer('Which corner is used for hold?', [prose]).text, /ff_0p88v_m40c for hold\. \[1\]/);
  });

  it('says so instead of inventing when nothing matches', () => {
    assert.deepEqual(extractiveAnswer('Who won the football match?', sources), {
      text: 'None of the retrieved passages answers this question.',
      citations: [],
    });
  });

  it('keeps at most the requested number of sentences, in source order', () => {
    const answer = extractiveAnswer('enable clock scan hold', sources, 2);
    assert.equal(answer.text.match(/\[\d\]/g)!.length, 2);
    const numbers = answer.text.match(/\[(\d)\]/g)!.map((m) => Number(m[1]));
    assert.deepEqual(numbers, [...numbers].sort());
  });
});
