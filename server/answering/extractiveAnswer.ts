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
  'a an and are as at be by can do does for from how i in is it of on or should that the this to was what when where which who why will with you your'.split(' '),
);

/** Words, plus the parts of identifiers such as clk_div_en or u_core/u_alu, lower-cased. */
function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_/.-]+/gu) ?? [];
  return words.flatMap((word) => {
    const cleaned = word.replace(/^[./-]+|[./-]+$/g, '');
    const parts = cleaned.split(/[_/.-]+/).filter((part) => part.length > 1);
    return [cleaned, ...(parts.length > 1 ? parts : [])].filter((term) => term && !stopWords.has(term));
  });
}

function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.replace(/^\s*([-*]|\d+\.)\s+/, '').split(/(?<=[.!?])\s+(?=[A-Z`(])/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.split(/\s+/).length >= 4);
}

/**
 * Answers without a language model: the sentences of the retrieved passages that best match the
 * question (IDF-weighted term overlap, identifiers and their parts included), in source order,
 * each cited. Hand-written because it is small, deterministic and tuned to engineering text.
 */
export function extractiveAnswer(question: string, sources: AnswerSource[], maxSentences = 3): ExtractiveAnswer {
  const queryTerms = new Set(terms(question));
  const candidates = sources.flatMap((source) =>
    sentencesOf(source.text).map((text, position) => ({ text, source: source.number, position, terms: new Set(terms(text)) })),
  );
  const documentFrequency = new Map<string, number>();
  for (const candidate of candidates) for (const term of candidate.terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + candidates.length / (1 + (documentFrequency.get(term) ?? 0)));

  const scored = candidates
    .map((candidate) => {
      let score = 0;
      for (const term of queryTerms) if (candidate.terms.has(term)) score += idf(term) * (/[_\d]/.test(term) ? 2 : 1);
      return { ...candidate, score: score / (1 + Math.log(candidate.terms.size)) };
    })
    .filter((candidate) => candidate.score > 0);
  const seen = new Set<string>();
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    .filter((candidate) => !seen.has(candidate.text) && seen.add(candidate.text))
    .slice(0, maxSentences)
    .sort((a, b) => a.source - b.source || a.position - b.position);

  if (chosen.length === 0) return { text: 'None of the retrieved passages answers this question.', citations: [] };
  return {
    text: chosen.map((candidate) => `${candidate.text} [${candidate.source}]`).join(' '),
    citations: [...new Set(chosen.map((candidate) => candidate.source))],
  };
}
