import { InferenceError } from '../http/InferenceError.ts';
import type { ServiceClient } from '../http/ServiceClient.ts';
import type { Embedder } from './Embedder.ts';

interface EmbeddingsResponse {
  data: { index: number; embedding: number[] }[];
}

/**
 * Embeddings through an OpenAI-compatible /v1/embeddings (NIM, vLLM, TEI, Ollama). Sends NIM's
 * `input_type` (asymmetric QA embedders lose much accuracy without it), `truncate: "END"` (NIM's
 * default "NONE" fails oversize input), and `encoding_format: "float"` explicitly.
 */
export class NimEmbedder implements Embedder {
  private knownDimension: number | undefined;

  constructor(
    private readonly client: ServiceClient,
    private readonly options: { dimensions: number | undefined; batchSize: number },
  ) {
    this.knownDimension = options.dimensions;
  }

  get model(): string {
    return this.client.endpoint.model;
  }

  get mode(): string {
    return this.client.endpoint.baseUrls.join(',');
  }

  async dimension(signal?: AbortSignal): Promise<number> {
    this.knownDimension ??= (await this.embedQuery('dimension probe', signal)).length;
    return this.knownDimension;
  }

  async embedPassages(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      vectors.push(...(await this.embed(texts.slice(start, start + this.options.batchSize), 'passage', signal)));
    }
    return vectors;
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<number[]> {
    return (await this.embed([text], 'query', signal))[0]!;
  }

  private async embed(input: string[], inputType: 'query' | 'passage', signal?: AbortSignal): Promise<number[][]> {
    if (input.length === 0) return [];
    const response = await this.client.json<EmbeddingsResponse>(
      '/embeddings',
      {
        model: this.model,
        input,
        input_type: inputType,
        truncate: 'END',
        encoding_format: 'float',
        ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
      },
      { idempotent: true, signal },
    );
    const vectors = [...(response.data ?? [])].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    if (vectors.length !== input.length || vectors.some((vector) => !Array.isArray(vector))) {
      throw new InferenceError(
        'embeddings',
        `expected ${input.length} float vectors, got ${vectors.length}`,
        200,
        'invalid_response',
        false,
      );
    }
    this.knownDimension ??= vectors[0]!.length;
    return vectors;
  }
}
