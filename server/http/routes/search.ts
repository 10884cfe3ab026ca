import { Router } from 'express';
import { z } from 'zod';
import { searchLimits } from '../../search/SearchService.ts';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';
import { presentFoundPassage } from '../../presenters/search.ts';

/** What these routes use of the composition root. */
export type SearchRoutesDeps = Pick<Services, 'search'>;

export const searchRequest = z
  .object({
    query: z.string().trim().min(1, 'query must not be empty').max(searchLimits.query),
    assistant: z.string().min(1).max(200).optional(),
    collection: z.string().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(searchLimits.maxPassages).optional(),
  })
  .strict()
  .refine((body) => !(body.assistant && body.collection), { message: 'give assistant or collection, not both', path: ['collection'] });

/** Passages for a query without an answer, under the caller's grants (as the MCP search tool). */
export function searchRoutes(services: SearchRoutesDeps): Router {
  const router = Router();
  router.post('/search', async (req, res) => {
    const body = searchRequest.parse(req.body);
    const controller = new AbortController();
    res.on('close', () => res.writableFinished || controller.abort(new Error('client disconnected')));
    const passages = await services.search.search(principalOf(req), { ...body, signal: controller.signal });
    res.json({ passages: passages.map(presentFoundPassage) });
  });
  return router;
}
