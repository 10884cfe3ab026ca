import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../api/types.ts';

interface Props {
  conversations: Conversation[] | undefined;
  activeId: string | undefined;
  search: string;
  onSearch: (text: string) => void;
  onOpen: (id: string) => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}

function ConversationItem({
  conversation,
  active,
  onOpen,
  onRename,
  onDelete,
}: { conversation: Conversation; active: boolean } & Pick<Props, 'onOpen' | 'onRename' | 'onDelete'>) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);
  const title_ = conversation.title || t('Untitled conversation');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    await onRename(conversation.id, title.trim() || title_);
    setEditing(false);
  };
  if (editing) {
    return (
      <li>
        <form onSubmit={save} className="rename">
          <label className="visually-hidden" htmlFor={`rename-${conversation.id}`}>
            {t('New title')}
          </label>
          <input
            id={`rename-${conversation.id}`}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            autoFocus
            maxLength={200}
            dir="auto"
          />
          <button type="submit">{t('Save')}</button>
          <button type="button" onClick={() => setEditing(false)}>
            {t('Cancel')}
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className={active ? 'active' : undefined}>
      <button
        type="button"
        className="conversation-link"
        aria-current={active ? 'page' : undefined}
        onClick={() => onOpen(conversation.id)}
      >
        <span className="title" dir="auto">
          {title_}
        </span>
        <span className="assistant">{conversation.assistant}</span>
      </button>
      <span className="conversation-actions">
        <button type="button" onClick={() => setEditing(true)} aria-label={t('Rename "{{title}}"', { title: title_ })}>
          {t('Rename')}
        </button>
        <button
          type="button"
          onClick={() => window.confirm(t('Delete "{{title}}"?', { title: title_ })) && void onDelete(conversation.id)}
          aria-label={t('Delete "{{title}}"', { title: title_ })}
        >
          {t('Delete')}
        </button>
      </span>
    </li>
  );
}

export function ConversationList({ conversations, activeId, search, onSearch, ...actions }: Props) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('Conversations')} className="conversation-list">
      <label className="visually-hidden" htmlFor="conversation-search">
        {t('Search conversations')}
      </label>
      <input
        id="conversation-search"
        type="search"
        placeholder={t('Search conversations')}
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      {!conversations && <p role="status">{t('Loading…')}</p>}
      {conversations?.length === 0 && <p className="hint">{search ? t('No conversation matches.') : t('No conversations yet.')}</p>}
      <ul>
        {conversations?.map((conversation) => (
          <ConversationItem key={conversation.id} conversation={conversation} active={conversation.id === activeId} {...actions} />
        ))}
      </ul>
    </nav>
  );
}
