// Words joined by _ / . or :: (clk_div_en, u_core/u_alu/add_q, pkg::cfg_t, top.u_pll.lock),
// words with an inner underscore, and camelCase or digit-bearing names (clkDivEn, ddr4_phy, x86).
const identifierPattern = /[\p{L}\p{N}_]+(?:(?:::|[_./])[\p{L}\p{N}_]+)+|[\p{L}\p{N}]+_[\p{L}\p{N}_]*|\b\p{Ll}+\p{Lu}[\p{L}\p{N}]*|\b(?=[\p{L}_]*\p{N})(?=[\p{N}_]*\p{L})[\p{L}\p{N}_]{2,}/gu;
const maxPerText = 200;

/**
 * The identifiers of a text, lower-cased and whole, plus the underscored segments of paths
 * (u_alu and add_q of u_core/u_alu/add_q). Indexed verbatim beside Postgres' parsed words, and
 * looked up the same way at query time, so a query naming an identifier finds it exactly while
 * its plain parts (clk, div, en) still match through the parser. Hand-written because no
 * tokenizer package knows RTL, netlist and tool-command naming; kept to one regular expression.
 */
export function identifierTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const match of text.matchAll(identifierPattern)) {
    const token = match[0].toLowerCase().replace(/^_+|_+$/g, '');
    if (token.length < 2 || token.length > 200) continue;
    terms.add(token);
    for (const segment of token.split(/::|[./]/)) if (segment !== token && segment.includes('_') && segment.length > 1) terms.add(segment);
    if (terms.size >= maxPerText) break;
  }
  return [...terms];
}

/** A tsquery matching any of the terms verbatim (quoted, so no parser touches them). */
export function identifierQuery(terms: string[]): string {
  return terms.map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}
