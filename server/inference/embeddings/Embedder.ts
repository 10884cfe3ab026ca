/** Turns text into vectors. Passages and queries are separate calls because NIM's QA embedders need to know which is which. */
export interface Embedder {
  readonly model: string;
  /** 'embedded' for the in-process CPU embedder, else the service's base URL(s). */
  readonly mode: string;
  /** The vector size; a remote model's is learned from its first answer unless configured. */
  dimension(signal?: AbortSignal): Promise<number>;
  embedPassages(texts: string[], signal?: AbortSignal): Promise<number[][]>;
  embedQuery(text: string, signal?: AbortSignal): Promise<number[]>;
}
