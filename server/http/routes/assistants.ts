import { Router } from 'express';
import { z } from 'zod';
import { retrievalFilterSchema } from '../../retrieval/retrievalFilter.ts';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { principalOf, adminsOnly } from '../authenticate.ts';
import { presentAssistant } from '../../presenters/assistants.ts';

/** What these routes use of the composition root. */
export type AssistantRoutesDeps = Pick<Services, 'assistants' | 'audit'>;

const retrieval = z
  .object({
    candidates: z.number().int().min(1).max(500).optional(),
    topK: z.number().int().min(1).max(100).optional(),
    scoreThreshold: z.number().min(0).max(1).optional(),
    filter: retrievalFilterSchema.optional(),
  })
  .strict()
  .refine((r) => r.topK === undefined || r.candidates === undefined || r.topK <= r.candidates, {
    message: 'topK must not exceed candidates',
    path: ['topK'],
  });

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  systemPrompt: z.string().trim().min(1).max(20_000),
  collections: z.array(z.string().min(1)).min(1, 'name at least one collection').max(100),
  model: z.string().min(1).max(200).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  retrieval: retrieval.optional(),
};
const newAssistant = z
  .object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'), ...fields })
  .strict();
const assistantPatch = z
  .object(fields)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });

/** Assistants: every user lists and reads them; only admins create, change and delete them. */
export function assistantRoutes(services: AssistantRoutesDeps): Router {
  const router = Router();
  router.get('/assistants', async (req, res) => {
    res.json({ assistants: (await services.assistants.list(principalOf(req))).map(presentAssistant) });
  });
  router.get('/assistants/:slug', async (req, res) => {
    res.json({ assistant: presentAssistant(await services.assistants.get(principalOf(req), String(req.params.slug))) });
  });
  router.post(
    '/assistants',
    adminsOnly,
    audited(services.audit, 'assistant.created', undefined, bodyFields('slug', 'name', 'collections')),
    async (req, res) => {
      const body = newAssistant.parse(req.body);
      await services.assistants.createFromInput(principalOf(req), body);
      res.status(201).json({ assistant: presentAssistant(await services.assistants.get(principalOf(req), body.slug)) });
    },
  );
  router.patch(
    '/assistants/:slug',
    adminsOnly,
    audited(services.audit, 'assistant.updated', param('assistant', 'slug'), (req) => ({ changed: Object.keys(req.body ?? {}) })),
    async (req, res) => {
      const slug = String(req.params.slug);
      await services.assistants.update(principalOf(req), slug, assistantPatch.parse(req.body));
      res.json({ assistant: presentAssistant(await services.assistants.get(principalOf(req), slug)) });
    },
  );
  router.delete(
    '/assistants/:slug',
    adminsOnly,
    audited(services.audit, 'assistant.deleted', param('assistant', 'slug')),
    async (req, res) => {
      await services.assistants.delete(principalOf(req), String(req.params.slug));
      res.status(204).end();
    },
  );
  return router;
}
