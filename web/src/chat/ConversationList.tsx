import { useState, type FormEvent } from 'react';
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

function ConversationItem({ conversation, active, onOpen, onRename, onDelete }: { conversation: Conversation; active: boolean } & Pick<Props, 'onOpen' | 'onRename' | 'onDelete'>) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);
  const title_ = conversation.title || 'Untitled conversation';
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
            New title
          </label>
          <input id={`rename-${conversation.id}`} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus maxLength={200} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className={active ? 'active' : undefined}>
      <button type="button" className="conversation-link" aria-current={active ? 'page' : undefined} onClick={() => onOpen(conversation.id)}>
        <span className="title">{title_}</span>
        <span className="assistant">{conversation.assistant}</span>
      </button>
      <span className="conversation-actions">
        <button type="button" onClick={() => setEditing(true)} aria-label={`Rename "${title_}"`}>
          Rename
        </button>
        <button type="button" onClick={() => window.confirm(`Delete "${title_}"?`) && void onDelete(conversation.id)} aria-label={`Delete "${title_}"`}>
          Delete
        </button>
      </span>
    </li>
  );
}

export function ConversationList({ conversations, activeId, search, onSearch, ...actions }: Props) {
  return (
    <nav aria-label="Conversations" className="conversation-list">
      <label className="visually-hidden" htmlFor="conversation-search">
        Search conversations
      </label>
      <input id="conversation-search" type="search" placeholder="Search conversations" value={search} onChange={(e) => onSearch(e.target.value)} />
      {!conversations && <p role="status">Loading…</p>}
      {conversations?.length === 0 && <p className="hint">{search ? 'No conversation matches.' : 'No conversations yet.'}</p>}
      <ul>
        {conversations?.map((conversation) => (
          <ConversationItem key={conversation.id} conversation={conversation} active={conversation.id === activeId} {...actions} />
        ))}
      </ul>
    </nav>
  );
}
