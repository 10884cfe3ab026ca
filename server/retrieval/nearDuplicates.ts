/** Passages this similar (Jaccard of word 3-shingles) are the same text for a reader. */
const sameTextAbove = 0.9;

function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length < 3) return new Set([words.join(' ')]);
  const set = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) set.add(words.slice(i, i + 3).join(' '));
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared || 1);
}

/**
 * Drops passages that repeat a better-ranked one almost word for word (the same page copied
 * into several documents, a template's boilerplate), so the prompt's room and the citations go
 * to different evidence. Order is kept.
 */
export function withoutNearDuplicates<T extends { text: string }>(ranked: T[]): T[] {
  const kept: { item: T; shingles: Set<string> }[] = [];
  for (const item of ranked) {
    const own = shingles(item.text);
    if (kept.some((other) => jaccard(own, other.shingles) >= sameTextAbove)) continue;
    kept.push({ item, shingles: own });
  }
  return kept.map((entry) => entry.item);
}
