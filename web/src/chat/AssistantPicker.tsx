import type { Assistant } from '../api/types.ts';

/** Choosing who answers a new conversation: each assistant with its description. */
export function AssistantPicker({ assistants, selected, onSelect }: { assistants: Assistant[]; selected: string | undefined; onSelect: (slug: string) => void }) {
  if (!assistants.length) return <p className="empty">No assistant is set up yet. An admin can create one under Admin › Assistants.</p>;
  return (
    <fieldset className="assistant-picker">
      <legend>Choose an assistant</legend>
      {assistants.map((assistant) => (
        <label key={assistant.slug} className={`assistant-card${selected === assistant.slug ? ' selected' : ''}`}>
          <input type="radio" name="assistant" value={assistant.slug} checked={selected === assistant.slug} onChange={() => onSelect(assistant.slug)} />
          <span className="name">{assistant.name}</span>
          <span className="description">{assistant.description}</span>
        </label>
      ))}
    </fieldset>
  );
}
