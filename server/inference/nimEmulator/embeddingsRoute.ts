import type { Request, Response } from 'express';
import { z } from 'zod';
import { HashingEmbedder } from '../embeddings/HashingEmbedder.ts';
import { sendError, validRequest } from './errorShapes.ts';
import { actOutRequestFault, type Fault } from './faults.ts';
import { countTokens } from './groundedSummary.ts';
import { sleep, type EmulatorStats, type NimEmulatorOptions } from './options.ts';

const embeddingsRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  // NIM's QA embedders are asymmetric and require the caller to say which side a text is on.
  input_type: z.enum(['query', 'passage']),
  encoding_format: z.enum(['float', 'base64']).default('float'),
  truncate: z.enum(['NONE', 'START', 'END']).default('NONE'),
  dimensions: z.number().int().min(32).optional(),
});

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function embeddingsRoute(options: NimEmulatorOptions, takeFault: () => Fault | undefined, stats: EmulatorStats) {
  const embedder = new HashingEmbedder(options.embeddingDimension);
  return async (req: Request, res: Response) => {
    stats.requests.embeddings += 1;
    const body = validRequest(res, embeddingsRequest, req.body, options.embeddingModel);
    if (!body) return;
    const inputs = [body.input].flat();
    if (inputs.length > options.maxBatchSize) {
      return sendError(res, 400, `Batch size ${inputs.length} exceeds the maximum of ${options.maxBatchSize}.`);
    }
    if (body.dimensions !== undefined && body.dimensions > options.embeddingDimension) {
      return sendError(res, 400, `dimensions must be at most ${options.embeddingDimension}.`);
    }
    const tooLong = inputs.findIndex((text) => countTokens(text) > options.maxInputTokens);
    if (tooLong >= 0 && body.truncate === 'NONE') {
      return sendError(
        res,
        422,
        `Input ${tooLong} is longer than ${options.maxInputTokens} tokens; set truncate to END or START.`,
        'detail',
      );
    }
    const fault = takeFault();
    if (await actOutRequestFault(res, fault)) return;
    await sleep(options.latencyMs);

    const maxChars = options.maxInputTokens * 4;
    const truncated = inputs.map((text) =>
      text.length <= maxChars ? text : body.truncate === 'START' ? text.slice(-maxChars) : text.slice(0, maxChars),
    );
    const vectors = (await embedder.embedPassages(truncated)).map((vector) => {
      if (!body.dimensions) return vector;
      // Matryoshka-style: keep the leading dimensions and re-normalise.
      const head = vector.slice(0, body.dimensions);
      const norm = Math.hypot(...head) || 1;
      return head.map((value) => value / norm);
    });
    const tokens = truncated.reduce((sum, text) => sum + countTokens(text), 0);
    res.json({
      object: 'list',
      model: body.model,
      data: vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? toBase64(vector) : vector,
      })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}
