import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { countTokens, countTokensYielding, truncateToTokens } from '../../../server/language/countTokens.ts';

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

  it('truncates to a token budget: the longest start within it, cut between words where it can be', () => {
    for (const [text, limit] of [
      ['Registered signals use the _q suffix; clock enables end in _en, as in clk_div_en.', 7],
      ['时钟域 clk_div_en 约束：每个时钟域都要有自己的同步器。', 6],
      ['a'.repeat(5_000), 10],
    ] as const) {
      const cut = truncateToTokens(text, limit);
      assert.ok(text.startsWith(cut));
      assert.ok(countTokens(cut) <= limit, `${countTokens(cut)} > ${limit}`);
      // One more piece would not have fit.
      assert.ok(countTokens(text.slice(0, cut.length + 2)) > limit - 2);
    }
    assert.equal(truncateToTokens('Short answer.', 100), 'Short answer.');
    assert.equal(truncateToTokens('Registered signals use the _q suffix.', 3), 'Registered signals use');
  });

  it('counts many texts while giving the event loop turns, to the same total as countTokens', async () => {
    const texts = [
      'Registered signals use the _q suffix.',
      '时钟域约束：每个时钟域都要有自己的同步器。',
      Array.from({ length: 50_000 }, (_, i) => `wire sig_${i};`).join(' '),
      '',
    ];
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const total = await countTokensYielding(texts);
    clearInterval(ticker);
    assert.equal(
      total,
      texts.reduce((sum, text) => sum + countTokens(text), 0),
    );
    assert.ok(turns > 0, 'the event loop never ran while counting');
  });
});
