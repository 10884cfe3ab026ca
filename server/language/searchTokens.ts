// Scripts written without spaces between words. Han, kana and Hangul are indexed as overlapping
// character bigrams, as Lucene's CJKAnalyzer does: no segmenter is needed, a query matches a
// passage however either would have been segmented, and on Chinese reading-comprehension sets
// BM25 over bigrams scores as well as over dictionary words (docs/quality.md). Thai, Lao, Khmer
// and Myanmar letters are not syllables, so bigrams of them mean nothing: ICU's dictionary word
// breaker (Intl.Segmenter, in Node's ICU) segments them instead.
const bigramScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\u3005]/u;
const dictionaryScript = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const spaceless =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
// Letters with their combining marks (Devanagari vowel signs, Hebrew and Arabic points) and digits.
const wordRun = /[\p{L}\p{M}\p{N}]+/gu;
// Arabic short vowels, tanwin, shadda and sukun, the dagger alef and the tatweel, and Hebrew
// points: optional in writing, so a pointed and an unpointed spelling must match.
// eslint-disable-next-line no-misleading-character-class -- a list of lone marks to delete, not letters with marks
const optionalMarks = /[\u064B-\u065F\u0670\u0640\u0591-\u05C7]/gu;
// A longer word is an encoded blob, not a word; it is cut, as Postgres drops words over 2 KB.
// (Runs of spaceless scripts are whole clauses and are never cut.)
const maxRunLength = 256;

type RunKind = 'bigram' | 'dictionary' | 'word';

const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * The words a text is searched by, identical at index and at query time: full-width and
 * presentation forms folded, optional vowel marks dropped,
 * split into runs of letters and digits, and runs of scripts without spaces segmented (see
 * above). Mixed runs ("使用ddr4内存") are split where the script changes. Case is left to the
 * caller (Postgres lower-cases as it stems). Linear in the text.
 */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalizeForSearch(text).matchAll(wordRun)) segmentRun(match[0], tokens);
  return tokens;
}

// Full-width and half-width forms (ＤＤＲ４, ｸﾛｯｸ, common in Chinese and Japanese text) and Arabic
// presentation forms: folded to the ordinary characters by NFKC, as Lucene's CJK width filter does.
// Only these: NFKC of a whole text would also rewrite superscripts, fractions or no-break spaces
// that Postgres' parser already reads as it should.
const widthAndPresentationForms = /[\uFB50-\uFDFF\uFE70-\uFEFF\uFF00-\uFFEF]+/g;

/** Width and presentation forms folded, optional vowel marks dropped. */
export function normalizeForSearch(text: string): string {
  return text.replace(widthAndPresentationForms, (forms) => forms.normalize('NFKC')).replace(optionalMarks, '');
}

/** Adds a run of letters and digits (already normalised) to `tokens`, segmented where its script needs it. */
export function segmentRun(word: string, tokens: string[]): void {
  for (const [kind, run] of scriptRuns(word)) {
    if (kind === 'word') tokens.push(run.slice(0, maxRunLength));
    else if (kind === 'bigram') pushBigrams(tokens, run);
    else for (const segment of wordSegmenter.segment(run)) if (segment.isWordLike) tokens.push(segment.segment);
  }
}

/**
 * What Postgres' parser is given of a chunk: the text normalised, with every run in a script
 * written without spaces replaced by its words (see above) between spaces. Everything else is
 * left to the parser, which already knows words, numbers, hyphenated words, addresses and file
 * names in the scripts that space their words. A question goes through searchTokens(), which cuts
 * those runs the same way.
 */
export function searchText(text: string): string {
  return normalizeForSearch(text).replace(wordRun, (run) => {
    if (!spaceless.test(run)) return run;
    const tokens: string[] = [];
    segmentRun(run, tokens);
    return ` ${tokens.join(' ')} `;
  });
}

/** Whether most of a text's letters are Chinese, Japanese or Korean: their words are character bigrams. */
export function isMostlyBigramScript(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((letter) => bigramScript.test(letter)).length * 2 > letters.length;
}

/** The runs of one kind of script in a word; combining marks stay with the letter before them. */
function scriptRuns(word: string): [RunKind, string][] {
  const runs: [RunKind, string][] = [];
  let kind: RunKind | undefined;
  let start = 0;
  let index = 0;
  for (const char of word) {
    const charKind: RunKind | undefined = /\p{M}/u.test(char) && kind ? kind : kindOf(char);
    if (kind !== undefined && charKind !== kind) {
      runs.push([kind, word.slice(start, index)]);
      start = index;
    }
    kind = charKind;
    index += char.length;
  }
  if (kind !== undefined) runs.push([kind, word.slice(start)]);
  return runs;
}

function kindOf(char: string): RunKind {
  if (bigramScript.test(char)) return 'bigram';
  if (dictionaryScript.test(char)) return 'dictionary';
  return 'word';
}

/** Overlapping pairs of characters; a lone character stands for itself. */
function pushBigrams(tokens: string[], run: string): void {
  const chars = [...run];
  if (chars.length === 1) tokens.push(run);
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
}

/** Whether most of a text's letters are Latin: the bundled sentence encoder knows only English. */
export function isMostlyLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return false;
  return letters.filter((letter) => /\p{Script=Latin}/u.test(letter)).length * 2 >= letters.length;
}

/**
 * The version of searchTokens() that wrote a chunk's search vector (chunks.text_analyzer). Any
 * change to what it returns must bump it: chunks written by an older one are then rewritten by
 * ReindexCollectionTextTask, since index and query must be segmented alike.
 */
export const textAnalyzerVersion = 1;
