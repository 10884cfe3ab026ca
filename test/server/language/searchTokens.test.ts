import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMostlyBigramScript, isMostlyLatin, searchText, searchTokens } from '../../../server/language/searchTokens.ts';

describe('searchTokens', () => {
  it('splits Chinese into overlapping character bigrams and keeps identifiers in mixed text apart', () => {
    assert.deepEqual(searchTokens('时钟域 clk_div_en 约束'), ['时钟', '钟域', 'clk', 'div', 'en', '约束']);
    assert.deepEqual(searchTokens('使用ddr4内存。'), ['使用', 'ddr4', '内存']);
  });

  it('bigrams Japanese kana and kanji together, and Korean syllables within a word', () => {
    assert.deepEqual(searchTokens('遅延セル'), ['遅延', '延セ', 'セル']);
    assert.deepEqual(searchTokens('홀드 위반은'), ['홀드', '위반', '반은']);
  });

  it('keeps a lone character of those scripts as a word', () => {
    assert.deepEqual(searchTokens('域 A'), ['域', 'A']);
  });

  it('segments Thai with the dictionary, not into bigrams', () => {
    const words = searchTokens('สัญญาณทุกตัว');
    assert.ok(words.includes('สัญญาณ') && words.includes('ทุก'), words.join('|'));
  });

  it('drops Arabic and Hebrew vowel points and the tatweel, so pointed and plain spellings match', () => {
    assert.deepEqual(searchTokens('تُصلح مخالفاتـ'), searchTokens('تصلح مخالفات'));
    assert.deepEqual(searchTokens('שָׁלוֹם'), ['שלום']);
  });

  it('keeps combining vowel signs inside Devanagari words and ends words at punctuation of any script', () => {
    assert.deepEqual(searchTokens('हिन्दी भाषा।'), ['हिन्दी', 'भाषा']);
    assert.deepEqual(searchTokens('He said “clock”—über؟'), ['He', 'said', 'clock', 'über']);
  });

  it('folds full-width forms (NFKC)', () => {
    assert.deepEqual(searchTokens('ＤＤＲ４ ｸﾛｯｸ'), ['DDR4', 'クロ', 'ロッ', 'ック']);
  });
});

describe('searchText', () => {
  it('hands Postgres the segmented words of spaceless scripts and everything else as written', () => {
    assert.equal(searchText('使用ddr4内存。See U.S. e-mail').split(/\s+/).filter(Boolean).join(' '), '使用 ddr4 内存 。See U.S. e-mail');
    assert.equal(searchText('clk_div_en 的约束'), 'clk_div_en  的约 约束 ');
  });
});

describe('isMostlyBigramScript', () => {
  it('tells a Chinese, Japanese or Korean question from others', () => {
    assert.deepEqual(
      ['保持时间违例怎么修复？', 'ホールド違反の修正', '홀드 위반', 'How is hold fixed?', 'كيف تصلح'].map(isMostlyBigramScript),
      [true, true, true, false, false],
    );
  });
});

describe('isMostlyLatin', () => {
  it('tells an English question from a Chinese one, identifiers notwithstanding', () => {
    assert.equal(isMostlyLatin('How is hold fixed?'), true);
    assert.equal(isMostlyLatin('clk_div_en 由哪个单元驱动？'), true);
    assert.equal(isMostlyLatin('保持时间违例应该怎么修复？'), false);
    assert.equal(isMostlyLatin('123'), false);
  });
});

describe('long runs', () => {
  it('keeps every bigram of a long clause without punctuation, and cuts only a long blob of Latin letters', () => {
    const clause = '时钟'.repeat(400);
    assert.equal(searchTokens(clause).length, 799);
    assert.equal(searchTokens('a'.repeat(1000))[0]!.length, 256);
  });
});
