import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { Principal } from '../auth/Principal.ts';
import { beginChatTurn, type ChatTurn, type ChatTurnDeps } from '../conversations/runChatTurn.ts';
import { describeError } from '../errors.ts';
import { retrievalFilterSchema } from '../retrieval/retrievalFilter.ts';
import type { Services } from '../services.ts';
import { presentChatEvents } from '../presenters/chatEvents.ts';

/** What these modules use of the composition root. */
export type ChatEventsDeps = ChatTurnDeps & Pick<Services, 'conversations' | 'logger'>;

// The question's length limit (CHAT_MAX_QUESTION_CHARS) is applied by beginChatTurn, with a message naming it.
const send = z
  .object({
    conversationId: z.string().min(1).max(100).optional(),
    /** Instead of conversationId: start a conversation with this assistant, created only if the question is accepted. */
    assistant: z.string().min(1).max(100).optional(),
    content: z.string().trim().min(1, 'the question is empty'),
    filter: retrievalFilterSchema.optional(),
  })
  .strict()
  .refine((request) => Boolean(request.conversationId) !== Boolean(request.assistant), {
    message: 'send either conversationId or assistant',
    path: ['conversationId'],
  });
const regenerate = z.object({ answerId: z.string().min(1).max(100), filter: retrievalFilterSchema.optional() }).strict();
const stop = z.object({ answerId: z.string().min(1).max(100) }).strict();

type Ack = (answer: object) => void;

/**
 * Chat over socket.io: `chat:send {conversationId, content, filter?}` is acknowledged with the message
 * ids once the question is stored (`chat:send {assistant, content}` starts a conversation, created
 * only if the question is accepted, and the acknowledgement carries it), then the socket receives `chat:citations`, `chat:mode`,
 * `chat:token`… and `chat:done`, each carrying the answer's id. `chat:stop {answerId}` cancels
 * an answer (the partial text is kept); a disconnect cancels the socket's answers.
 * `chat:regenerate {answerId}` replaces the latest answer with a new one, with the same events.
 * A refused question (too long, over quota, not yours) is acknowledged with `{error}` and leaves nothing stored.
 */
export function registerChatEvents(socket: Socket, services: ChatEventsDeps): void {
  const running = new Map<string, AbortController>();
  socket.on('disconnect', () => running.forEach((controller) => controller.abort(new Error('socket disconnected'))));
  const principal = () => socket.data.principal as Principal;

  const startTurn = (ack: Ack | undefined, begin: () => Promise<ChatTurn>) => {
    void (async () => {
      const controller = new AbortController();
      let acknowledged = false;
      let answerId = '';
      const emit = (event: string, data: object) => socket.emit(event, { answerId, ...data });
      const sink = presentChatEvents({
        started: (ids) => {
          answerId = ids.answerId;
          running.set(answerId, controller);
          acknowledged = true;
          ack?.({ ok: true, ...ids });
        },
        send: (event, data) => emit(`chat:${event}`, data),
      });
      try {
        const turn = await begin();
        // The socket may have been closed (its key revoked, say) while the turn was checked.
        if (socket.disconnected) return await turn.abandon();
        await turn.run(sink, controller.signal);
      } catch (error) {
        const { status, body } = describeError(error);
        if (status >= 500) services.logger.error({ err: error }, 'chat turn failed');
        else services.logger.warn({ code: body.error.code, reason: body.error.message }, 'chat turn refused');
        if (!acknowledged) ack?.({ error: { code: body.error.code, message: body.error.message } });
      } finally {
        running.delete(answerId);
      }
    })();
  };

  socket.on('chat:send', (request: unknown, ack?: Ack) =>
    startTurn(ack, async () => {
      const { conversationId, assistant, content, filter } = send.parse(request);
      return beginChatTurn(services, { principal: principal(), conversationId, newConversationWith: assistant, question: content, filter });
    }),
  );

  // The latest answer is taken back with its question, and the question asked again; it is taken
  // back only once the new turn has passed its checks, so a refused regenerate loses nothing.
  socket.on('chat:regenerate', (request: unknown, ack?: Ack) =>
    startTurn(ack, async () => {
      const { answerId, filter } = regenerate.parse(request);
      const { conversationId, question } = await services.conversations.lastTurn(principal(), answerId);
      const turn = await beginChatTurn(services, { principal: principal(), conversationId, question, filter });
      try {
        await services.conversations.withdrawLastTurn(principal(), answerId);
      } catch (error) {
        await turn.abandon();
        throw error;
      }
      return turn;
    }),
  );

  socket.on('chat:stop', (request: unknown, ack?: Ack) => {
    const parsed = stop.safeParse(request);
    const controller = parsed.success ? running.get(parsed.data.answerId) : undefined;
    if (!controller) return ack?.({ error: { code: 'not_found', message: 'No answer of yours with this id is streaming.' } });
    controller.abort(new Error('stopped by the asker'));
    ack?.({ ok: true });
  });
}
