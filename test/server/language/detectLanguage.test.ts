import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { detectLanguage } from '../../../server/language/detectLanguage.ts';
import { textSearchConfigFor } from '../../../server/language/languages.ts';

const fixture = (code: string) => readFile(new URL(`../../fixtures/languages/${code}.md`, import.meta.url), 'utf8');

describe('detectLanguage', () => {
  for (const code of ['zh', 'ja', 'ko', 'ar', 'he']) {
    it(`names a ${code} document, Latin identifiers in it notwithstanding`, async () => {
      assert.equal(detectLanguage(await fixture(code))?.code, code);
    });
  }

  it('names English and German prose', () => {
    assert.equal(
      detectLanguage('Every asynchronous signal that crosses a clock domain must pass through a two-stage synchronizer.')?.code,
      'en',
    );
    assert.equal(
      detectLanguage('Jedes asynchrone Signal muss durch einen zweistufigen Synchronisierer laufen, bevor es verwendet wird.')?.code,
      'de',
    );
  });

  it('does not guess from too little text', () => {
    assert.equal(detectLanguage('clk_div_en'), undefined);
    assert.equal(detectLanguage(''), undefined);
  });
});

describe('textSearchConfigFor', () => {
  it('stems where Postgres has a stemmer and falls back to simple elsewhere', () => {
    assert.deepEqual(['en', 'ar', 'de', 'zh', 'he', null].map(textSearchConfigFor), [
      'english',
      'arabic',
      'german',
      'simple',
      'simple',
      'simple',
    ]);
  });
});
