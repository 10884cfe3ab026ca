import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Assistant, CollectionListing, Conversation } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { ChatPanel } from '../chat/ChatPanel.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { AssistantEditor } from './AssistantEditor.tsx';

/** Asks the saved assistant in a scratch conversation, deleted when the panel closes or restarts. */
function TryItPanel({ assistant }: { assistant: Assistant }) {
  const [conversationId, setConversationId] = useState<string>();
  const { t } = useTranslation();
  const created = useRef<string | undefined>(undefined);
  const onCreated = useCallback((conversation: Conversation) => {
    created.current = conversation.id;
    setConversationId(conversation.id);
  }, []);
  const discard = () => {
    if (created.current) void api(`/conversations/${created.current}`, { method: 'DELETE' }).catch(() => undefined);
    created.current = undefined;
  };
  useEffect(() => discard, []);
  return (
    <section className="card try-it" aria-labelledby="try-it-heading">
      <header className="row">
        <h2 id="try-it-heading">{t('Try it')}</h2>
        <button type="button" onClick={() => (discard(), setConversationId(undefined))}>
          {t('Start over')}
        </button>
      </header>
      <p className="hint">{t('Answers use the saved settings; save changes before trying them.')}</p>
      <ChatPanel
        key={assistant.updatedAt}
        conversationId={conversationId}
        assistant={assistant}
        assistantSlug={assistant.slug}
        onCreated={onCreated}
      />
    </section>
  );
}

export function AssistantsPage() {
  const assistants = useResource<{ assistants: Assistant[] }>('/assistants');
  const collections = useResource<{ collections: CollectionListing[] }>('/collections');
  const [selected, setSelected] = useState<string | 'new'>();
  const { t } = useTranslation();
  const list = assistants.data?.assistants;
  const current = list?.find((a) => a.slug === selected) ?? (selected === 'new' ? undefined : list?.[0]);
  return (
    <>
      <h1>{t('Assistants')}</h1>
      <Problem text={assistants.problem ?? collections.problem} />
      {!list && !assistants.problem && <Loading what={t('assistants')} />}
      <div className="split">
        <nav aria-label={t('Assistants')} className="item-list">
          <ul>
            {list?.map((a) => (
              <li key={a.slug}>
                <button type="button" aria-current={a === current ? 'true' : undefined} onClick={() => setSelected(a.slug)}>
                  {a.name}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setSelected('new')}>
            {t('New assistant')}
          </button>
        </nav>
        {collections.data && list && (
          <div className="editor-column">
            <AssistantEditor
              key={current ? `${current.slug}-${current.updatedAt}` : 'new'}
              assistant={selected === 'new' ? undefined : current}
              collections={collections.data.collections}
              onSaved={(slug) => (setSelected(slug), void assistants.reload())}
              onDeleted={() => (setSelected(undefined), void assistants.reload())}
            />
            {current && selected !== 'new' && <TryItPanel key={current.slug} assistant={current} />}
          </div>
        )}
      </div>
    </>
  );
}
