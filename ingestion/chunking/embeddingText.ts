import type { Chunk } from '../../server/corpus/Chunk.ts';

/**
 * What is embedded for a chunk: its heading path, then its text, so the vector knows what the
 * passage is about (the entity a short abstract describes, the section a handbook rule sits in).
 */
export function embeddingText(chunk: Pick<Chunk, 'headingPath' | 'text'>): string {
  return chunk.headingPath.length ? `${chunk.headingPath.join(' > ')}\n\n${chunk.text}` : chunk.text;
}
