import { useTranslation } from 'react-i18next';
import type { Assistant } from '../api/types.ts';

/** Choosing who answers a new conversation: each assistant with its description. */
export function AssistantPicker({
  assistants,
  selected,
  onSelect,
}: {
  assistants: Assistant[];
  selected: string | undefined;
  onSelect: (slug: string) => void;
}) {
  const { t } = useTranslation();
  if (!assistants.length)
    return <p className="empty">{t('No assistant is set up yet. An admin can create one under Admin › Assistants.')}</p>;
  return (
    <fieldset className="assistant-picker">
      <legend>{t('Choose an assistant')}</legend>
      {assistants.map((assistant) => (
        <label key={assistant.slug} className={`assistant-card${selected === assistant.slug ? ' selected' : ''}`}>
          <input
            type="radio"
            name="assistant"
            value={assistant.slug}
            checked={selected === assistant.slug}
            onChange={() => onSelect(assistant.slug)}
          />
          <span className="name" dir="auto">
            {assistant.name}
          </span>
          <span className="description" dir="auto">
            {assistant.description}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
