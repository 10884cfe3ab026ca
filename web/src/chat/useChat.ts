import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api/client.ts';
import type { Citation, Conversation, FinishedTurn, StoredMessage } from '../api/types.ts';
import { getSocket, request } from '../realtime/socket.ts';

export type ChatMessage = Omit<StoredMessage, 'createdAt'>;

let localIds = 0;
const localId = () => `local-${++localIds}`;

/**
 * One conversation's messages and its live answer over socket.io: `chat:send` (or
 * `chat:regenerate`) is acknowledged with the stored ids, then citations, mode, tokens and done
 * arrive for that answer id. A conversation is created by its first question.
 */
export function useChat(conversationId: string | undefined, onCreated: (conversation: Conversation) => void) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string>();
  const streamingId = useRef<string | undefined>(undefined);
  const createdHere = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!conversationId) return setMessages([]);
    if (createdHere.current === conversationId) {
      createdHere.current = undefined; // its messages are already here
      return;
    }
    let cancelled = false;
    setLoading(true);
    setProblem(undefined);
    api<{ messages: StoredMessage[] }>(`/conversations/${conversationId}`)
      .then((result) => !cancelled && setMessages(result.messages))
      .catch((error) => !cancelled && setProblem(errorText(error)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [conversationId]);

  useEffect(() => {
    const socket = getSocket();
    const update = (answerId: string, change: (message: ChatMessage) => ChatMessage) =>
      setMessages((current) => current.map((message) => (message.id === answerId ? change(message) : message)));
    const onCitations = ({ answerId, citations }: { answerId: string; citations: Citation[] }) =>
      update(answerId, (m) => ({ ...m, citations }));
    const onMode = ({ answerId, mode, notice }: { answerId: string; mode: 'llm' | 'extractive'; notice?: string }) =>
      update(answerId, (m) => ({ ...m, answerMode: mode, notice: notice ?? null }));
    const onToken = ({ answerId, text }: { answerId: string; text: string }) =>
      update(answerId, (m) => ({ ...m, content: m.content + text }));
    const onDone = ({ answerId, status, error, notice }: FinishedTurn) => {
      if (streamingId.current === answerId) streamingId.current = undefined;
      update(answerId, (m) => ({ ...m, status, error, notice: notice ?? m.notice }));
    };
    // The server cancels a socket's answers when it drops; say so instead of streaming forever.
    const onDisconnect = () => {
      streamingId.current = undefined;
      setMessages((current) =>
        current.map((m) =>
          m.status === 'streaming'
            ? { ...m, status: 'cancelled', error: { code: 'disconnected', message: 'The connection to Tapeout dropped; ask again.' } }
            : m,
        ),
      );
    };
    socket.on('disconnect', onDisconnect);
    socket.on('chat:citations', onCitations);
    socket.on('chat:mode', onMode);
    socket.on('chat:token', onToken);
    socket.on('chat:done', onDone);
    return () => {
      socket.off('disconnect', onDisconnect);
      socket.off('chat:citations', onCitations);
      socket.off('chat:mode', onMode);
      socket.off('chat:token', onToken);
      socket.off('chat:done', onDone);
    };
  }, []);

  /** Adds the question and an empty streaming answer, then swaps in the server's ids once acknowledged. */
  const stream = useCallback(
    async (question: string, start: () => Promise<{ questionId: string; answerId: string; conversation?: Conversation }>) => {
      const questionId = localId();
      const answerId = localId();
      const blank = { citations: [], answerMode: null, notice: null, error: null, feedback: null };
      setMessages((current) => [
        ...current,
        { id: questionId, role: 'user', content: question, status: 'complete', ...blank },
        { id: answerId, role: 'assistant', content: '', status: 'streaming', ...blank },
      ]);
      try {
        const ids = await start();
        streamingId.current = ids.answerId;
        if (ids.conversation) {
          createdHere.current = ids.conversation.id; // its messages are already here
          onCreated(ids.conversation);
        }
        setMessages((current) =>
          current.map((m) => (m.id === questionId ? { ...m, id: ids.questionId } : m.id === answerId ? { ...m, id: ids.answerId } : m)),
        );
      } catch (error) {
        setMessages((current) =>
          current.map((m) => (m.id === answerId ? { ...m, status: 'failed', error: { code: 'not_sent', message: errorText(error) } } : m)),
        );
      }
    },
    [onCreated],
  );

  // A new conversation is created by its first question, only if the server accepts it: a refused
  // question (too long, over quota) leaves no empty conversation behind.
  const send = useCallback(
    (content: string, assistant: string) =>
      stream(content, () => request('chat:send', conversationId ? { conversationId, content } : { assistant, content })),
    [conversationId, stream],
  );

  /** Asks the latest question again: the stored answer is replaced; a question the server refused is simply sent again. */
  const regenerate = useCallback(
    async (answerId: string, assistant: string) => {
      const index = messages.findIndex((m) => m.id === answerId);
      const question = messages[index - 1];
      if (!question) return;
      setMessages((current) => current.slice(0, index - 1));
      if (answerId.startsWith('local-')) await send(question.content, assistant);
      else await stream(question.content, () => request('chat:regenerate', { answerId }));
    },
    [messages, send, stream],
  );

  const stop = useCallback(() => {
    if (streamingId.current) void request('chat:stop', { answerId: streamingId.current }).catch(() => undefined);
  }, []);

  const rate = useCallback(async (messageId: string, rating: 1 | -1, comment?: string) => {
    await api(`/messages/${messageId}/feedback`, {
      method: 'POST',
      body: { rating: rating === 1 ? 'up' : 'down', ...(comment ? { comment } : {}) },
    });
    setMessages((current) => current.map((m) => (m.id === messageId ? { ...m, feedback: { rating, comment: comment ?? null } } : m)));
  }, []);

  const streaming = messages.some((m) => m.status === 'streaming');
  return { messages, loading, problem, streaming, send, regenerate, stop, rate };
}
