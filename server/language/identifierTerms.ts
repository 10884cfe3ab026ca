// A word: letters, digits and underscores, possibly joined by ::, . or / into a scoped or
// hierarchical name (clk_div_en, u_core/u_alu/add_q, pkg::cfg_t, top.u_pll.lock). Every part of
// this pattern consumes characters the next part cannot, so matching never backtracks over a
// run: linear in the text, whatever the text (a single class with lookaheads, as before, took
// quadratic time on long runs of letters and stalled the server on one long question).
// Han, kana, Hangul and Thai end a word: identifiers are not written in them, and text in those
// scripts runs on without spaces, so "使用ddr4内存" holds the identifier ddr4, not the whole clause.
const wordChar = String.raw`[[\p{L}\p{N}_]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]]`;
const wordPattern = new RegExp(String.raw`${wordChar}+(?:(?:::|[.\/])${wordChar}+)*`, 'gv');
const maxPerText = 200;
const maxTermLength = 200;

/**
 * The identifiers of a text, lower-cased and whole, plus the underscored segments of paths
 * (u_alu and add_q of u_core/u_alu/add_q). Indexed verbatim beside Postgres' parsed words, and
 * looked up the same way at query time, so a query naming an identifier finds it exactly while
 * its plain parts (clk, div, en) still match through the parser. Hand-written because no
 * tokenizer package knows RTL, netlist and tool-command naming.
 */
export function identifierTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0];
    // Longer words are hashes or encoded blobs; they are never indexed as identifiers.
    if (word.length > maxTermLength + 2) continue;
    const token = word.toLowerCase().replace(/^_+|_+$/g, '');
    if (token.length < 2 || !isIdentifier(word.replace(/^_+|_+$/g, ''))) continue;
    terms.add(token);
    for (const segment of token.split(/::|[./]/)) if (segment !== token && segment.includes('_') && segment.length > 1) terms.add(segment);
    if (terms.size >= maxPerText) break;
  }
  return [...terms];
}

/**
 * Scoped or hierarchical (a separator inside), underscored inside, camelCase (lower-case letters,
 * then an upper-case one), or bearing both letters and digits (ddr4, x86). Each test is one
 * linear scan of a word of at most maxTermLength characters.
 */
function isIdentifier(word: string): boolean {
  return /::|[./_]/.test(word) || /^\p{Ll}+\p{Lu}/u.test(word) || (/\p{N}/u.test(word) && /\p{L}/u.test(word));
}

/** A tsquery matching any of the terms verbatim (quoted, so no parser touches them). */
export function identifierQuery(terms: string[]): string {
  return terms.map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}
