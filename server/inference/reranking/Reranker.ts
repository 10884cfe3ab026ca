export interface RankedPassage {
  /** Index into the passages given. */
  index: number;
  /** 0-1 relevance (the sigmoid of the model's logit); null when nothing ranked the passages. */
  score: number | null;
}

export interface Reranker {
  /** 'embedded' for the no-op reranker, else the service's base URL(s). */
  readonly mode: string;
  rank(query: string, passages: string[], options?: { topK?: number; signal?: AbortSignal }): Promise<RankedPassage[]>;
}

/** Used when no reranker is configured: keeps the order it was given. */
export class NoopReranker implements Reranker {
  readonly mode = 'embedded';

  async rank(_query: string, passages: string[], options: { topK?: number } = {}): Promise<RankedPassage[]> {
    return passages.slice(0, options.topK ?? passages.length).map((_passage, index) => ({ index, score: null }));
  }
}
