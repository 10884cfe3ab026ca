import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

// cl100k_base ships inside the npm package (nothing is downloaded). Serving models tokenize
// differently; it is a close, stable measure for chunk budgets, not an exact count for every model.
const encoder = new Tiktoken(cl100k);

// The encoder's own pre-tokenizer (words, numbers, punctuation, whitespace), applied here too.
const piecePattern = new RegExp(cl100k.pat_str, 'gu');

/**
 * Pieces of more UTF-8 bytes than this are counted in slices of at most this many. js-tiktoken's
 * byte-pair merge is quadratic in a piece's length (a 16,000-letter word took 24 s and blocked
 * the server), so a long run with no space or punctuation is cut; real words are far shorter,
 * and a cut piece still counts close to what the model would see.
 */
const maxPieceBytes = 32;

/** Text is encoded in batches of whole pieces about this long, each an ordinary encode call. */
const batchLength = 4096;

/** Tokens in `text` under cl100k_base, in time linear in its length. */
export function countTokens(text: string): number {
  let count = 0;
  for (const tokens of batchCounts(text)) count += tokens;
  return count;
}

/** How long counting runs before it lets the event loop serve others. */
const sliceOfTimeMs = 8;

/**
 * The tokens of all `texts`, counted as countTokens does but giving the event loop a turn every
 * few milliseconds: a request's messages may hold a megabyte of text, whose count takes longer
 * than a health check may wait.
 */
export async function countTokensYielding(texts: readonly string[]): Promise<number> {
  let count = 0;
  let since = performance.now();
  for (const text of texts) {
    for (const tokens of batchCounts(text)) {
      count += tokens;
      if (performance.now() - since < sliceOfTimeMs) continue;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return count;
}

/** The tokens of `text` in batches of whole pieces, each an ordinary encode call or a cut piece. */
function* batchCounts(text: string): Generator<number> {
  let batchStart = 0;
  let batchEnd = 0;
  // Special tokens such as <|endoftext|> inside a document or a question count as text, not an error.
  const batch = () => (batchEnd > batchStart ? encoder.encode(text.slice(batchStart, batchEnd), 'all').length : 0);
  for (const match of text.matchAll(piecePattern)) {
    const piece = match[0];
    const start = match.index;
    if (tooLongForOneMerge(piece)) {
      yield batch();
      let tokens = 0;
      for (const slice of slices(piece)) tokens += sliceTokens(slice);
      yield tokens;
      batchStart = batchEnd = start + piece.length;
    } else {
      if (start + piece.length - batchStart > batchLength) {
        yield batch();
        batchStart = start;
      }
      batchEnd = start + piece.length;
    }
  }
  yield batch();
}

/**
 * The longest start of `text` that is at most `maxTokens` tokens, cut between pieces (words,
 * numbers, punctuation) where it can be, in the same linear time as countTokens.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  let count = 0;
  for (const match of text.matchAll(piecePattern)) {
    const piece = match[0];
    for (const [offset, slice] of tooLongForOneMerge(piece) ? offsetSlices(piece) : [[0, piece] as const]) {
      const tokens = tooLongForOneMerge(piece) ? sliceTokens(slice) : encoder.encode(slice, 'all').length;
      if (count + tokens > maxTokens) return text.slice(0, match.index + offset).trimEnd();
      count += tokens;
    }
  }
  return text;
}

function* offsetSlices(piece: string): Generator<readonly [number, string]> {
  let offset = 0;
  for (const slice of slices(piece)) {
    yield [offset, slice] as const;
    offset += slice.length;
  }
}

// Slices of long runs repeat (a padded line, a run of one letter); each merge costs about 0.1 ms.
const sliceCounts = new Map<string, number>();
const maxCachedSlices = 4096;

function sliceTokens(slice: string): number {
  let tokens = sliceCounts.get(slice);
  if (tokens === undefined) {
    tokens = encoder.encode(slice, 'all').length;
    if (sliceCounts.size >= maxCachedSlices) sliceCounts.clear();
    sliceCounts.set(slice, tokens);
  }
  return tokens;
}

/** A long piece in slices of at most maxPieceBytes UTF-8 bytes, cut between code points. */
function* slices(piece: string): Generator<string> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < piece.length;) {
    const code = piece.codePointAt(i)!;
    const units = code > 0xffff ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxPieceBytes) {
      yield piece.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += units;
  }
  if (start < piece.length) yield piece.slice(start);
}

const utf8 = new TextEncoder();
// A UTF-16 unit is at least one UTF-8 byte and at most three (a pair of them, four).
const tooLongForOneMerge = (piece: string) =>
  piece.length > maxPieceBytes || (piece.length * 3 > maxPieceBytes && utf8.encode(piece).length > maxPieceBytes);
