import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identifierQuery, identifierTerms } from '../../../server/language/identifierTerms.ts';

describe('identifierTerms', () => {
  it('keeps RTL, netlist and tool-command names whole, lower-cased, with the underscored segments of paths', () => {
    assert.deepEqual(identifierTerms('Drive clk_div_en from u_core/u_alu/add_q; STREAM_MCAST_DEST; set_multicycle_path -setup 2'), [
      'clk_div_en',
      'u_core/u_alu/add_q',
      'u_core',
      'u_alu',
      'add_q',
      'stream_mcast_dest',
      'set_multicycle_path',
    ]);
  });

  it('finds scoped, hierarchical, camelCase and digit-bearing names, and nothing in plain prose', () => {
    assert.deepEqual(identifierTerms('pkg::cfg_t and top.u_pll.lock, clkDivEn on ddr4_phy'), [
      'pkg::cfg_t',
      'cfg_t',
      'top.u_pll.lock',
      'u_pll',
      'clkdiven',
      'ddr4_phy',
    ]);
    assert.deepEqual(identifierTerms('Hold fixing happens after clock tree synthesis.'), []);
  });

  it('ends words at Han, kana, Hangul and Thai, which run on without spaces: the identifier, not the clause', () => {
    assert.deepEqual(identifierTerms('使用ddr4内存和x86_64主机'), ['ddr4', 'x86_64']);
    assert.deepEqual(identifierTerms('DDR4를 사용하고 clk_div_en을 확인'), ['ddr4', 'clk_div_en']);
    assert.deepEqual(identifierTerms('1990年成立的公司'), []);
  });

  it('takes time linear in the text: long runs of letters, underscores or separators (quadratic before) yield no identifiers', () => {
    for (const run of [
      'a'.repeat(200_000),
      `${'_'.repeat(200_000)}a`,
      'a_'.repeat(100_000),
      'x.'.repeat(100_000),
      'aB1'.repeat(70_000),
      'a::'.repeat(70_000),
    ]) {
      assert.deepEqual(identifierTerms(run), [], run.slice(0, 4));
    }
    assert.deepEqual(identifierTerms(`${'q'.repeat(50_000)} then clk_div_en`), ['clk_div_en']);
  });

  it('quotes terms for a tsquery so that no input can change its syntax', () => {
    assert.equal(identifierQuery(["it's", 'a\\b']), "'it''s' | 'a\\\\b'");
  });
});
