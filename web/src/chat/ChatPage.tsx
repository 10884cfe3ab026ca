import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, errorText } from '../api/client.ts';
import type { Assistant, Conversation } from '../api/types.ts';
import { AssistantPicker } from './AssistantPicker.tsx';
import { ChatPanel } from './ChatPanel.tsx';
import { ConversationList } from './ConversationList.tsx';
import { useConversations } from './useConversations.ts';

/** The employee chat: conversations on the side, the open one (or a new one) in the middle. */
export function ChatPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const conversationId = params.get('c') ?? undefined;
  const [search, setSearch] = useState('');
  const { conversations, problem: listProblem, reload, rename, remove } = useConversations(search);
  const [assistants, setAssistants] = useState<Assistant[]>();
  const [problem, setProblem] = useState<string>();
  const [chosen, setChosen] = useState<string>();

  useEffect(() => {
    api<{ assistants: Assistant[] }>('/assistants')
      .then(({ assistants }) => {
        setAssistants(assistants);
        setChosen((current) => current ?? assistants[0]?.slug);
      })
      .catch((error) => setProblem(errorText(error)));
  }, []);

  const open = (id: string | undefined) => setParams(id ? { c: id } : {});
  const onCreated = useCallback(
    (conversation: Conversation) => {
      setParams({ c: conversation.id }, { replace: true });
      void reload();
    },
    [setParams, reload],
  );
  const current = conversations?.find((c) => c.id === conversationId);
  const assistantSlug = current?.assistant ?? chosen;
  const assistant = assistants?.find((a) => a.slug === assistantSlug);

  return (
    <div className="chat-layout">
      <aside className="sidebar">
        <button type="button" className="primary new-chat" onClick={() => open(undefined)}>
          {t('New chat')}
        </button>
        {listProblem && <p role="alert">{listProblem}</p>}
        <ConversationList
          conversations={conversations}
          activeId={conversationId}
          search={search}
          onSearch={setSearch}
          onOpen={open}
          onRename={rename}
          onDelete={async (id) => {
            await remove(id);
            if (id === conversationId) open(undefined);
          }}
        />
      </aside>
      <main className="chat-main" aria-label={t('Chat')}>
        {problem && <p role="alert">{problem}</p>}
        {!assistants && !problem && <p role="status">{t('Loading assistants…')}</p>}
        {assistants && !conversationId && <AssistantPicker assistants={assistants} selected={chosen} onSelect={setChosen} />}
        {assistants && (conversationId || assistantSlug) && (
          <ChatPanel
            conversationId={conversationId}
            assistant={assistant}
            assistantSlug={assistantSlug!}
            onCreated={onCreated}
            onAnswered={reload}
          />
        )}
      </main>
    </div>
  );
}
