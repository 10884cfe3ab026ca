import { randomUUID } from 'node:crypto';
import { Router, type ErrorRequestHandler, type Response } from 'express';
import express from 'express';
import { z } from 'zod';
import type { Citation } from '../../answering/AssistantAnswerer.ts';
import type { AnswerEvent } from '../../answering/generateAnswer.ts';
import { assertConversationFits } from '../../answering/chatLimits.ts';
import { describeError, LimitExceededError, ShuttingDownError } from '../../errors.ts';
import { shutdownNotice } from '../../lifecycle/AnswersInFlight.ts';
import { inSpan } from '../../observability/tracing.ts';
import { retrievalFilterSchema } from '../../retrieval/retrievalFilter.ts';
import type { Services } from '../../services.ts';
import { authenticate, principalOf } from '../authenticate.ts';
import { logRefusal, setRetryAfter } from '../errorHandler.ts';

const chatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1, 'messages must not be empty'),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().min(1).optional(),
  /** Tapeout's extension: narrows retrieval (see retrievalFilter.ts). */
  filter: retrievalFilterSchema.optional(),
});

const citationJson = (citation: Citation) => ({
  index: citation.index,
  document_id: citation.documentId,
  title: citation.title,
  filename: citation.filename,
  page: citation.page,
  snippet: citation.snippet,
});

/**
 * The assistants behind OpenAI's API, so any OpenAI client can use them: `model` is the
 * assistant's slug. Answers add `citations`, `answer_mode` ('llm' or 'extractive') and any
 * `notice`, so clients can tell an extractive answer from a model's.
 */
export function openaiCompatibleRoutes(services: Services): Router {
  const router = Router();
  router.use(authenticate(services.users, services.sessions));
  router.use(express.json({ limit: '1mb' }));

  router.get('/models', async (req, res) => {
    const assistants = await services.assistants.list(principalOf(req));
    res.json({
      object: 'list',
      data: assistants.map((a) => ({
        id: a.slug,
        object: 'model',
        created: Math.floor(new Date(a.createdAt).getTime() / 1000),
        owned_by: 'tapeout',
      })),
    });
  });

  router.post('/chat/completions', async (req, res) => {
    const body = chatRequest.parse(req.body);
    const principal = principalOf(req);
    const messages = body.messages.map((m) => ({ role: m.role, content: m.content }));
    assertConversationFits(messages, services.config.chat);
    const ceiling = services.config.llmOptions.maxTokens;
    if (body.max_tokens !== undefined && body.max_tokens > ceiling) {
      throw new LimitExceededError(
        'max_tokens_too_large',
        `max_tokens may be at most ${ceiling} on this server; this request asks for ${body.max_tokens}.`,
        400,
      );
    }
    const inFlight = services.answersInFlight.begin();
    const release = await services.chatQuota.acquire(principal.userId ?? 'anonymous').catch((error: unknown) => {
      inFlight.end();
      throw error;
    });
    const meta = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: body.model };
    let citations: object[] = [];
    try {
      const controller = new AbortController();
      res.on('close', () => res.writableFinished || controller.abort(new Error('client disconnected')));
      await inSpan('chat.completion', { 'tapeout.assistant': body.model, 'tapeout.stream': body.stream ?? false }, async () => {
        const prepared = await services.answerer.prepare(principal, {
          assistant: body.model,
          messages,
          temperature: body.temperature,
          maxTokens: body.max_tokens,
          filter: body.filter,
          signal: AbortSignal.any([controller.signal, inFlight.signal]),
        });
        citations = prepared.citations.map(citationJson);
        await (body.stream ? streamAnswer : sendAnswer)(res, meta, prepared.events, citations);
      });
    } catch (error) {
      if (!inFlight.cutOffByShutdown()) throw error;
      // A stream already under way ends with the notice; an answer not yet sent is refused (503).
      if (!res.headersSent) throw new ShuttingDownError();
      const closing = {
        ...meta,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        citations,
        interrupted: true,
        notice: shutdownNotice,
      };
      res.end(`data: ${JSON.stringify(closing)}\n\ndata: [DONE]\n\n`);
    } finally {
      await release();
      inFlight.end();
    }
  });

  router.use(openaiErrorHandler);
  return router;
}

async function sendAnswer(res: Response, meta: object, events: AsyncGenerator<AnswerEvent>, citations: object[]): Promise<void> {
  let content = '';
  const extra: Record<string, unknown> = {};
  let finishReason: string | null = 'stop';
  for await (const event of events) {
    if (event.type === 'mode') Object.assign(extra, { answer_mode: event.mode }, event.notice ? { notice: event.notice } : {});
    else if (event.type === 'token') content += event.text;
    else if (event.type === 'done') finishReason = event.finishReason;
    else Object.assign(extra, { interrupted: true, notice: event.notice });
  }
  res.json({
    ...meta,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason ?? 'stop' }],
    citations,
    ...extra,
  });
}

async function streamAnswer(res: Response, meta: object, events: AsyncGenerator<AnswerEvent>, citations: object[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' });
  const send = (choices: unknown[], extra: object = {}) =>
    res.write(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
  let finishReason = 'stop';
  let closing: object = {};
  for await (const event of events) {
    if (event.type === 'mode') {
      send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], {
        answer_mode: event.mode,
        ...(event.notice ? { notice: event.notice } : {}),
      });
    } else if (event.type === 'token') send([{ index: 0, delta: { content: event.text }, finish_reason: null }]);
    else if (event.type === 'done') finishReason = event.finishReason ?? 'stop';
    else closing = { interrupted: true, notice: event.notice };
  }
  // Citations travel in the final chunk, before [DONE].
  send([{ index: 0, delta: {}, finish_reason: finishReason }], { citations, ...closing });
  res.end('data: [DONE]\n\n');
}

/** OpenAI clients expect `{"error":{"message","type","code"}}`; status and message are the API's own (describeError). */
const openaiErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const { status, body } = describeError(error);
  logRefusal(req.log, error, status, body);
  if (res.headersSent) return void res.end();
  setRetryAfter(res, error);
  const type =
    status === 401
      ? 'authentication_error'
      : status === 404
        ? 'not_found_error'
        : status === 429
          ? 'rate_limit_error'
          : status >= 500
            ? 'server_error'
            : 'invalid_request_error';
  res.status(status).json({ error: { message: body.error.message, type, code: body.error.code, param: null } });
};
