import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../session/SessionContext.tsx';

/**
 * The message box: Enter sends, Shift+Enter starts a new line; Stop while an answer streams.
 * The Enter that confirms an input method's candidate (Chinese, Japanese, Korean) never sends:
 * it arrives while composing, or, in Safari, just after with the IME's key code 229.
 */
export function Composer({
  disabled,
  streaming,
  onSend,
  onStop,
}: {
  disabled?: boolean;
  streaming: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { maxQuestionChars } = useUser();
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || streaming || disabled) return;
    onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message" className="visually-hidden">
        {t('Message')}
      </label>
      <textarea
        id="message"
        rows={2}
        placeholder={t('Ask a question (Enter sends, Shift+Enter for a new line)')}
        dir="auto"
        value={text}
        maxLength={maxQuestionChars}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <button type="button" onClick={onStop}>
          {t('Stop')}
        </button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || !text.trim()}>
          {t('Send')}
        </button>
      )}
    </form>
  );
}
