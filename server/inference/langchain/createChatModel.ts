import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../../config/index.ts';
import { InferenceError } from '../http/InferenceError.ts';
import type { ServiceClient } from '../http/ServiceClient.ts';

/**
 * The LLM as a LangChain chat model: `@langchain/openai`'s ChatOpenAI pointed at the service
 * (there is no official NVIDIA package for JS). Its requests go through Tapeout's replica pool,
 * so chains get the same balancing and circuit breakers as Tapeout's own client.
 */
export function createLangChainChatModel(client: ServiceClient, options: Config['llmOptions'], fields: { temperature?: number } = {}) {
  const extra = options.extraBody;
  const hasExtra = Object.keys(extra).length > 0;
  const placeholderBase = 'http://replica.invalid/v1';
  return new ChatOpenAI({
    model: client.endpoint.model,
    apiKey: client.endpoint.apiKey ?? 'not-needed',
    ...(fields.temperature !== undefined ? { temperature: fields.temperature } : {}),
    ...(hasExtra ? { modelKwargs: options.extraBodyFormat === 'nvext' ? { nvext: extra } : extra } : {}),
    maxTokens: options.maxTokens,
    maxRetries: 1,
    configuration: {
      baseURL: placeholderBase,
      // Sending a request is retried on another replica until a response starts arriving.
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        client.withRetries(true, init?.signal ?? undefined, () =>
          client.pool.run(async (baseUrl) => {
            const url = String(input instanceof Request ? input.url : input).replace(placeholderBase, baseUrl);
            let response: Response;
            try {
              response = await fetch(url, init);
            } catch (error) {
              if (init?.signal?.aborted) throw error;
              throw new InferenceError(
                'llm',
                `${baseUrl} failed: ${(error as Error).cause ?? (error as Error).message}`,
                undefined,
                'network_error',
                true,
              );
            }
            // Overloaded or failing replicas count against their breaker and are retried elsewhere.
            if (response.status >= 500) throw InferenceError.fromResponse('llm', response.status, await response.text());
            return response;
          }),
        ),
    },
  });
}
