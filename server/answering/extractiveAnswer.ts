import { searchTokens } from '../language/searchTokens.ts';
import { identifierTerms } from '../language/identifierTerms.ts';

export interface AnswerSource {
  /** The citation number, [n] in the answer. */
  number: number;
  text: string;
}

export interface ExtractiveAnswer {
  text: string;
  /** Citation numbers used, in order of first use. */
  citations: number[];
}

const stopWords = new Set(
  'a an and are as at be by can do does for from how i in is it of on or should that the this to was what when where which who why will with you your'.split(
    ' ',
  ),
);

/**
 * A text's terms: its words as search segments them (Chinese, Japanese and Korean as character
 * bigrams, Thai by dictionary, identifiers in parts), lower-cased, plus identifiers whole.
 */
function terms(text: string): string[] {
  const words = searchTokens(text.toLowerCase()).filter((word) => !stopWords.has(word));
  return [...words, ...identifierTerms(text)];
}

// ICU's sentence rules (in Node): they end sentences at 。！？, Arabic ؟ and the Devanagari danda
// as at . ! ?, and keep "e.g. the" or "top.v" whole.
const sentenceSegmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
/** A sentence shorter than this (in search words) is a heading or a fragment, not an answer. */
const minimumWords = 4;
/** Sentences scoring below this share of the best one are left out. */
const weakestShare = 0.35;

function sentencesOf(text: string): string[] {
  const lines = text.split(/\n+/);
  return (isCode(lines) ? commentsOf(lines) : lines)
    .flatMap((line) => [...sentenceSegmenter.segment(line.replace(/^\s*([-*]|\d+\.)\s+/, ''))].map((part) => part.segment.trim()))
    .filter((sentence) => searchTokens(sentence).length >= minimumWords);
}

const commentLine = /^\s*(?:\/\/+|#+(?=\s)|--(?=\s))\s*/;
const listItem = /^\s*([-*]|\d+\.)\s/;
/** How a line of code ends (`;` `,` a bracket, `:`), or a block keyword: prose lines rarely do. */
const codeLine = /([;,{}()[\]:]\s*$)|^\s*(begin|end\w*)\b/;

/** A passage of source code (a module, a proc, an SDC file): most of its lines that are not comments read as code. */
function isCode(lines: string[]): boolean {
  const statements = lines.filter((line) => line.trim() && !commentLine.test(line) && !listItem.test(line));
  const coded = statements.filter((line) => codeLine.test(line)).length;
  return coded >= 3 && coded >= statements.length / 2;
}

/**
 * In code, the prose is in the comments: each run of comment lines becomes one text, its markers
 * gone, so a comment wrapped over two lines reads as one sentence; `output logic pll_lock_err`
 * is a declaration, not an answer.
 */
function commentsOf(lines: string[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  for (const line of [...lines, '']) {
    if (commentLine.test(line)) {
      run.push(line.replace(commentLine, '').trim());
      continue;
    }
    if (run.length) texts.push(run.join(' '));
    run = [];
  }
  return texts;
}

/**
 * Answers without a language model: the sentences of the retrieved passages that best match the
 * question (IDF-weighted term overlap, identifiers and their parts included), in source order,
 * each cited, in any language. Hand-written because it is small, deterministic and tuned to
 * engineering text.
 */
export function extractiveAnswer(question: string, sources: AnswerSource[], maxSentences = 3): ExtractiveAnswer {
  const queryTerms = new Set(terms(question));
  const candidates = sources.flatMap((source) =>
    sentencesOf(source.text).map((text, position) => ({ text, source: source.number, position, terms: new Set(terms(text)) })),
  );
  const documentFrequency = new Map<string, number>();
  for (const candidate of candidates)
    for (const term of candidate.terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + candidates.length / (1 + (documentFrequency.get(term) ?? 0)));

  const scored = candidates
    .map((candidate) => {
      let score = 0;
      for (const term of queryTerms) if (candidate.terms.has(term)) score += idf(term) * (/[_\d]/.test(term) ? 2 : 1);
      return { ...candidate, score: score / (1 + Math.log(candidate.terms.size)) };
    })
    .filter((candidate) => candidate.score > 0);
  const best = Math.max(0, ...scored.map((candidate) => candidate.score));
  const seen = new Set<string>();
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    // A sentence sharing only a fragment with the question (the "en" of clk_div_en) is not quoted beside one that answers it.
    .filter((candidate) => candidate.score >= weakestShare * best)
    .filter((candidate) => !seen.has(candidate.text) && seen.add(candidate.text))
    .slice(0, maxSentences)
    .sort((a, b) => a.source - b.source || a.position - b.position);

  if (chosen.length === 0) return { text: 'None of the retrieved passages answers this question.', citations: [] };
  return {
    text: chosen.map((candidate) => `${candidate.text} [${candidate.source}]`).join(' '),
    citations: [...new Set(chosen.map((candidate) => candidate.source))],
  };
}
