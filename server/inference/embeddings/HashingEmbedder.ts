import { segmentRun } from '../../language/searchTokens.ts';
import type { Embedder } from './Embedder.ts';

/**
 * The CPU embedder used when EMBEDDINGS_BASE_URL is unset: signed feature hashing of word
 * unigrams, word bigrams and character trigrams, log-scaled and L2-normalised. Deterministic,
 * about a millisecond per passage, and it needs no model weights (none can be downloaded on
 * an offline machine). It captures lexical overlap only, not meaning; a NIM embedder does that.
 */
export class HashingEmbedder implements Embedder {
  // Stored vectors are tagged with this name: any change to the features must bump it, and
  // collections embedded with the old version are then re-embedded (ReembedCollectionTask).
  // v2: function words no longer hashed alone. v3: words as search segments them (Chinese,
  // Japanese and Korean as character bigrams, Thai by dictionary), no longer whole clauses.
  readonly model = 'tapeout-hashing-v3';
  readonly mode = 'embedded';

  constructor(private readonly size = 512) {}

  async dimension(): Promise<number> {
    return this.size;
  }

  async embedPassages(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  private embed(text: string): number[] {
    const vector = new Float64Array(this.size);
    // Words exactly as in v2 (an underscored identifier is one word), so vectors of spaced
    // scripts are unchanged, with runs of scripts written without spaces segmented as search
    // segments them.
    const words: string[] = [];
    for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)) segmentRun(match[0], words);
    const add = (feature: string, weight: number) => {
      const hash = fnv1a(feature);
      vector[hash % this.size]! += hash & 0x80000000 ? -weight : weight;
    };
    words.forEach((word, index) => {
      if (index > 0) add(`b:${words[index - 1]} ${word}`, 0.5);
      // Function words say nothing about a passage's subject; alone they only add collisions.
      if (stopWords.has(word)) return;
      add(`w:${word}`, 1);
      const padded = `#${word}#`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.25);
    });
    for (let i = 0; i < vector.length; i++) vector[i] = Math.sign(vector[i]!) * Math.log1p(Math.abs(vector[i]!));
    const norm = Math.hypot(...vector) || 1;
    return Array.from(vector, (value) => value / norm);
  }
}

// A short English list in the spirit of classic IR stop lists; other languages are unaffected.
const stopWords = new Set(
  'a an and are as at be but by for from has have in is it its of on or that the this to was were will with which what who how when where'.split(
    ' ',
  ),
);

/** 32-bit FNV-1a: tiny, fast and stable across releases, which stored vectors depend on. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
