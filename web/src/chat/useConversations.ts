import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Conversation } from '../api/types.ts';

/** The signed-in user's conversations, filtered by a search that matches titles and messages. */
export function useConversations(search: string) {
  const [conversations, setConversations] = useState<Conversation[]>();
  const [problem, setProblem] = useState<string>();

  const reload = useCallback(async () => {
    const query = search.trim() ? `?q=${encodeURIComponent(search.trim())}` : '';
    try {
      setConversations((await api<{ conversations: Conversation[] }>(`/conversations${query}`)).conversations);
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }, [search]);

  useEffect(() => {
    const timer = setTimeout(() => void reload(), 200);
    return () => clearTimeout(timer);
  }, [reload]);

  const rename = useCallback(
    async (id: string, title: string) => {
      await api(`/conversations/${id}`, { method: 'PATCH', body: { title } });
      await reload();
    },
    [reload],
  );
  const remove = useCallback(
    async (id: string) => {
      await api(`/conversations/${id}`, { method: 'DELETE' });
      await reload();
    },
    [reload],
  );
  return { conversations, problem, reload, rename, remove };
}
