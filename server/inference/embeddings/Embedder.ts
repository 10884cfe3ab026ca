/** Turns text into vectors. Passages and queries are separate calls because NIM's QA embedders need to know which is which. */
export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  /** 'embedded' for the in-process CPU embedder, else the service's base URL. */
  readonly mode: string;
  embedPassages(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}
