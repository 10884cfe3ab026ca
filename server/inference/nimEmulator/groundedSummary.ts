const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/**
 * The emulator's deterministic stand-in for generation: the sentences of the prompt's context
 * that share the most words with the question, each with the [n] label of the source it came
 * from, prefixed so nobody mistakes it for a model's answer.
 */
export function groundedSummary(context: string, question: string, maxSentences = 2): string {
  const questionWords = new Set(words(question));
  const candidates: { text: string; label: string; score: number; order: number }[] = [];
  let label = '';
  let order = 0;
  for (const line of context.split('\n')) {
    // Sources are labelled "[n] text" or fenced as <source id="n" ...>.
    const marker = /^\s*\[(\d+)\]/.exec(line) ?? /^\s*<source id="(\d+)"/.exec(line);
    if (marker) label = `[${marker[1]}]`;
    if (/^\s*<\/?source/.test(line)) continue;
    for (const sentence of line.replace(/^\s*\[\d+\]\s*/, '').split(/(?<=[.!?])\s+/)) {
      const sentenceWords = words(sentence);
      if (sentenceWords.length < 4) continue;
      const score = sentenceWords.filter((word) => questionWords.has(word)).length;
      if (score > 0) candidates.push({ text: sentence.trim(), label, score, order: order++ });
    }
  }
  const chosen = candidates
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order);
  if (chosen.length === 0) return '[emulated] The provided context does not answer this question.';
  return `[emulated] ${chosen.map((c) => (c.label ? `${c.text} ${c.label}` : c.text)).join(' ')}`;
}

export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
