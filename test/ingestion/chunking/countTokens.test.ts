import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { countTokens } from '../../../ingestion/chunking/countTokens.ts';

const reference = new Tiktoken(cl100k);

describe('countTokens', () => {
  it('counts ordinary text as cl100k_base does: exactly in English, Korean, Arabic and Hebrew, within a few percent in Chinese and Japanese', () => {
    for (const text of [
      'Every always_comb block must assign each output on every path; clk_div_en gates the divider.',
      '타이밍 클로저는 모든 코너에서 확인합니다.',
      'يجب التحقق من التوقيت في جميع الزوايا.',
      'יש לבדוק את התזמון בכל הפינות.',
    ]) {
      assert.equal(countTokens(text), reference.encode(text).length, text);
    }
    // Han and kana runs have no spaces, so runs over 32 bytes are counted in slices (about 0.1% off on a Chinese corpus).
    for (const text of ['时序收敛需要在所有角落满足建立时间和保持时间。', 'タイミングクロージャは全コーナーで確認します。']) {
      const exact = reference.encode(text).length;
      assert.ok(Math.abs(countTokens(text) - exact) <= Math.ceil(exact * 0.1), text);
    }
  });

  it('counts a special token written in a document as text instead of throwing', () => {
    assert.ok(countTokens('The model stops at <|endoftext|> and <|fim_prefix|>.') > 5);
  });

  it('gets through long runs without spaces, which the library merges in quadratic time, with a close count', () => {
    // 200,000 letters took js-tiktoken minutes; cut into slices they take well under a second.
    for (const [run, perToken] of [
      ['a'.repeat(200_000), 8],
      ['北总铁道'.repeat(20_000), 1],
      ['😀'.repeat(20_000), 0.5],
    ] as const) {
      const tokens = countTokens(run);
      const exactOnAPiece = reference.encode(run.slice(0, 32)).length * (run.length / 32);
      assert.ok(tokens > run.length / (perToken * 4) && tokens <= exactOnAPiece * 1.5, `${run.slice(0, 2)}: ${tokens}`);
    }
  });
});
