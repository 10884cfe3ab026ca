import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import type { Citation } from '../../answering/AssistantAnswerer.ts';
import { assertConversationFits } from '../../answering/chatLimits.ts';
import type { Assistant } from '../../assistants/AssistantService.ts';
import { ShuttingDownError } from '../../errors.ts';
import { shutdownNotice } from '../../lifecycle/AnswersInFlight.ts';
import { admitAnswer } from '../../limits/admitAnswer.ts';
import { inSpan } from '../../observability/tracing.ts';
import type { Services } from '../../services.ts';
import { authenticate, principalOf } from '../authenticate.ts';
import { parseChatCompletionRequest } from '../openai/chatCompletionRequest.ts';
import { sendCompletion, streamCompletion, type CompletionFrame } from '../openai/completionResponses.ts';
import { openaiErrorHandler, unknownEndpoint } from '../openai/openaiErrors.ts';

/** What these routes use of the composition root. */
export type OpenaiCompatibleRoutesDeps = Pick<
  Services,
  'answerer' | 'answersInFlight' | 'assistants' | 'chatQuota' | 'config' | 'sessions' | 'users'
>;

const citationJson = (citation: Citation) => ({
  index: citation.index,
  document_id: citation.documentId,
  title: citation.title,
  filename: citation.filename,
  page: citation.page,
  snippet: citation.snippet,
});

const modelJson = (assistant: Assistant) => ({
  id: assistant.slug,
  object: 'model',
  created: Math.floor(new Date(assistant.createdAt).getTime() / 1000),
  owned_by: 'tapeout',
});

/**
 * The assistants behind OpenAI's API, so any OpenAI client can use them: `model` is the
 * assistant's slug. Answers add `citations`, `answer_mode` ('llm' or 'extractive') and any
 * `notice`, so clients can tell an extractive answer from a model's. What the request asks for
 * is honoured or refused (chatCompletionRequest.ts); every path answers in OpenAI's error shape.
 */
export function openaiCompatibleRoutes(services: OpenaiCompatibleRoutesDeps): Router {
  const router = Router();
  router.use(authenticate(services.users, services.sessions));
  router.use(express.json({ limit: '1mb' }));

  router.get('/models', async (req, res) => {
    const assistants = await services.assistants.list(principalOf(req));
    res.json({ object: 'list', data: assistants.map(modelJson) });
  });

  router.get('/models/:model', async (req, res) => {
    res.json(modelJson(await services.assistants.get(principalOf(req), String(req.params.model))));
  });

  router.post('/chat/completions', async (req, res) => {
    const body = parseChatCompletionRequest(req.body, services.config.llmOptions.maxTokens);
    const principal = principalOf(req);
    assertConversationFits(body.messages, services.config.chat);
    if (body.endUser) req.log.info({ endUser: body.endUser }, 'chat completion for an end user');
    const admitted = await admitAnswer(services, { principal });
    const frame: CompletionFrame = {
      meta: { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: body.model },
      citations: [],
      messages: body.messages,
    };
    try {
      const controller = new AbortController();
      res.on('close', () => res.writableFinished || controller.abort(new Error('client disconnected')));
      await inSpan('chat.completion', { 'tapeout.assistant': body.model, 'tapeout.stream': body.stream }, async () => {
        const prepared = await services.answerer.prepare(principal, {
          assistant: body.model,
          messages: body.messages,
          generation: body.generation,
          filter: body.filter,
          signal: AbortSignal.any([controller.signal, admitted.signal]),
        });
        frame.citations = prepared.citations.map(citationJson);
        if (body.stream) await streamCompletion(res, frame, prepared.events, body.includeUsage);
        else await sendCompletion(res, frame, prepared.events);
      });
    } catch (error) {
      if (!admitted.cutOffByShutdown()) throw error;
      // A stream already under way ends with the notice; an answer not yet sent is refused (503).
      if (!res.headersSent) throw new ShuttingDownError();
      const closing = {
        ...frame.meta,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        citations: frame.citations,
        interrupted: true,
        notice: shutdownNotice,
      };
      res.end(`data: ${JSON.stringify(closing)}\n\ndata: [DONE]\n\n`);
    } finally {
      await admitted.end();
    }
  });

  router.use(unknownEndpoint);
  router.use(openaiErrorHandler);
  return router;
}
