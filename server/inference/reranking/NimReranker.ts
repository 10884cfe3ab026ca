import { InferenceError } from '../http/InferenceError.ts';
import type { ServiceClient } from '../http/ServiceClient.ts';
import type { RankedPassage, Reranker } from './Reranker.ts';

interface RankingResponse {
  rankings: { index: number; logit: number }[];
}

const sigmoid = (logit: number) => 1 / (1 + Math.exp(-logit));

/** NIM's POST /v1/ranking: raw logits become 0-1 scores; top-k is cut here, not by the service. */
export class NimReranker implements Reranker {
  constructor(private readonly client: ServiceClient) {}

  get mode(): string {
    return this.client.endpoint.baseUrls.join(',');
  }

  async rank(query: string, passages: string[], options: { topK?: number; signal?: AbortSignal } = {}): Promise<RankedPassage[]> {
    if (passages.length === 0) return [];
    const response = await this.client.json<RankingResponse>(
      '/ranking',
      { model: this.client.endpoint.model, query: { text: query }, passages: passages.map((text) => ({ text })), truncate: 'END' },
      { idempotent: true, signal: options.signal },
    );
    const rankings = response.rankings;
    if (!Array.isArray(rankings) || rankings.some((r) => !(r.index >= 0 && r.index < passages.length) || typeof r.logit !== 'number')) {
      throw new InferenceError('reranker', 'ranking response has missing or out-of-range entries', 200, 'invalid_response', false);
    }
    return [...rankings]
      .sort((a, b) => b.logit - a.logit)
      .slice(0, options.topK ?? rankings.length)
      .map((ranking) => ({ index: ranking.index, score: sigmoid(ranking.logit) }));
  }
}
