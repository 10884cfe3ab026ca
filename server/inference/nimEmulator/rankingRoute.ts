import type { Request, Response } from 'express';
import { z } from 'zod';
import { validRequest } from './errorShapes.ts';
import { actOutRequestFault, type Fault } from './faults.ts';
import { sleep, type EmulatorStats, type NimEmulatorOptions } from './options.ts';

const rankingRequest = z.object({
  model: z.string().min(1),
  query: z.object({ text: z.string().min(1) }),
  passages: z.array(z.object({ text: z.string() })).min(1),
  truncate: z.enum(['NONE', 'END']).default('NONE'),
});

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);

/** A deterministic relevance logit: the share of query words a passage contains, mapped to about -6..+6. */
function logitFor(query: Set<string>, passage: string): number {
  const passageWords = words(passage);
  const shared = [...query].filter((word) => passageWords.has(word)).length;
  return Number(((12 * shared) / Math.max(1, query.size) - 6).toFixed(4));
}

export function rankingRoute(options: NimEmulatorOptions, takeFault: () => Fault | undefined, stats: EmulatorStats) {
  return async (req: Request, res: Response) => {
    stats.requests.ranking += 1;
    const body = validRequest(res, rankingRequest, req.body, options.rerankModel);
    if (!body) return;
    const fault = takeFault();
    if (await actOutRequestFault(res, fault)) return;
    await sleep(options.latencyMs);
    const query = words(body.query.text);
    const rankings = body.passages
      .map((passage, index) => ({ index, logit: logitFor(query, passage.text) }))
      .sort((a, b) => b.logit - a.logit || a.index - b.index);
    res.json({ rankings });
  };
}
