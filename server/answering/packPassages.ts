import type { ChunkLines } from '../corpus/Chunk.ts';
import { countTokens } from '../language/countTokens.ts';
import type { RetrievedPassage } from '../retrieval/HybridRetriever.ts';

/** Tokens of source text in a prompt: room for about ten chunks of 512, with the question and history beside. */
export const sourceTokenBudget = 6000;

/**
 * Chooses the passages for the prompt, in rank order, under a token budget. A passage next to
 * one already chosen (same document, neighbouring position) is merged into it in document order,
 * its overlap with its neighbour removed, so a rule split across two chunks reads as one source
 * and takes one citation number.
 */
export function packPassages(passages: RetrievedPassage[], budget = sourceTokenBudget): RetrievedPassage[] {
  const packed: (RetrievedPassage & { first: number; last: number })[] = [];
  let used = 0;
  for (const passage of passages) {
    const tokens = countTokens(passage.text);
    // A smaller passage further down may still fit, so keep looking rather than stop.
    if (used + tokens > budget) continue;
    used += tokens;
    const neighbour = packed.find(
      (kept) => kept.documentId === passage.documentId && (passage.ordinal === kept.last + 1 || passage.ordinal === kept.first - 1),
    );
    if (!neighbour) {
      packed.push({ ...passage, first: passage.ordinal, last: passage.ordinal });
    } else if (passage.ordinal === neighbour.last + 1) {
      neighbour.text = joinOverlapping(neighbour.text, passage.text);
      neighbour.last = passage.ordinal;
      neighbour.lines = spanning(neighbour.lines, passage.lines);
    } else {
      neighbour.text = joinOverlapping(passage.text, neighbour.text);
      neighbour.first = passage.ordinal;
      neighbour.page = passage.page ?? neighbour.page;
      neighbour.lines = spanning(passage.lines, neighbour.lines);
    }
  }
  return packed.map(({ first: _first, last: _last, ...passage }) => passage);
}

/** The lines of two neighbouring passages together; none when either has none. */
function spanning(first: ChunkLines | null, second: ChunkLines | null): ChunkLines | null {
  return first && second ? { start: first.start, end: second.end } : null;
}

/** `before` then `after`, without the text `after` repeats from the end of `before` (the chunk overlap). */
export function joinOverlapping(before: string, after: string): string {
  for (let start = Math.max(0, before.length - 4000); start < before.length; start++) {
    const tail = before.slice(start);
    if (tail.length >= 20 && after.startsWith(tail)) return `${before}${after.slice(tail.length)}`;
  }
  return `${before}\n${after}`;
}
