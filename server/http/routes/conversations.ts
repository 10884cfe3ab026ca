import { Router } from 'express';
import { z } from 'zod';
import { beginChatTurn, type ChatTurnDeps } from '../../conversations/runChatTurn.ts';
import { retrievalFilterSchema } from '../../retrieval/retrievalFilter.ts';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';
import { describeError } from '../../errors.ts';
import { presentChatEvents } from '../../presenters/chatEvents.ts';
import { presentConversation, presentMessage } from '../../presenters/conversations.ts';

/** What these routes use of the composition root. */
export type ConversationRoutesDeps = ChatTurnDeps & Pick<Services, 'conversations'>;

const newConversation = z.object({ assistant: z.string().min(1).max(100) }).strict();
// The question's length limit (CHAT_MAX_QUESTION_CHARS) is applied by beginChatTurn, with a message naming it.
const question = z
  .object({ content: z.string().trim().min(1, 'the question is empty'), filter: retrievalFilterSchema.optional() })
  .strict();
const rename = z.object({ title: z.string().trim().min(1, 'the title is empty').max(200) }).strict();
const listQuery = z.object({ q: z.string().trim().max(200).optional() });
const feedback = z.object({ rating: z.enum(['up', 'down']), comment: z.string().trim().max(2000).optional() }).strict();

/**
 * Conversations over REST. Asking streams the answer as server-sent events: `start` (message
 * ids), `citations`, `mode`, `token`…, then `done` with the stored status (or `error` if the
 * question could not even be stored). Closing the
 * connection stops the answer; what was streamed is kept as a cancelled answer.
 */
export function conversationRoutes(services: ConversationRoutesDeps): Router {
  const router = Router();
  router.post('/conversations', async (req, res) => {
    const body = newConversation.parse(req.body);
    res.status(201).json({ conversation: presentConversation(await services.conversations.create(principalOf(req), body.assistant)) });
  });
  router.get('/conversations', async (req, res) => {
    const { q } = listQuery.parse(req.query);
    res.json({ conversations: (await services.conversations.list(principalOf(req), q || undefined)).map(presentConversation) });
  });
  router.patch('/conversations/:id', async (req, res) => {
    const renamed = await services.conversations.rename(principalOf(req), String(req.params.id), rename.parse(req.body).title);
    res.json({ conversation: presentConversation(renamed) });
  });
  router.get('/conversations/:id', async (req, res) => {
    const principal = principalOf(req);
    const id = String(req.params.id);
    res.json({
      conversation: presentConversation(await services.conversations.get(principal, id)),
      messages: (await services.conversations.messages(principal, id)).map(presentMessage),
    });
  });
  router.delete('/conversations/:id', async (req, res) => {
    await services.conversations.delete(principalOf(req), String(req.params.id));
    res.status(204).end();
  });
  router.post('/conversations/:id/messages', async (req, res) => {
    const principal = principalOf(req);
    const { content, filter } = question.parse(req.body);
    // Unknown or foreign conversations, over-long questions and exhausted quotas are refused as JSON, before the stream starts.
    const turn = await beginChatTurn(services, { principal, conversationId: String(req.params.id), question: content, filter });
    const controller = new AbortController();
    res.on('close', () => res.writableFinished || controller.abort(new Error('client disconnected')));
    res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const sink = presentChatEvents({ started: (ids) => send('start', ids), send });
    try {
      await turn.run(sink, controller.signal);
    } catch (error) {
      // The stream has started, so the error travels as an event rather than a status code.
      const { status, body } = describeError(error);
      if (status >= 500) req.log.error({ err: error }, 'chat turn failed');
      send('error', body);
    }
    res.end();
  });
  router.post('/messages/:id/feedback', async (req, res) => {
    const body = feedback.parse(req.body);
    await services.conversations.rate(principalOf(req), String(req.params.id), body.rating === 'up' ? 1 : -1, body.comment);
    res.status(204).end();
  });
  return router;
}
