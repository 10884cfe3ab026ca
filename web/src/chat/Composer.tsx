import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useUser } from '../session/SessionContext.tsx';

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while an answer streams. */
export function Composer({ disabled, streaming, onSend, onStop }: { disabled?: boolean; streaming: boolean; onSend: (text: string) => void; onStop: () => void }) {
  const [text, setText] = useState('');
  const { maxQuestionChars } = useUser();
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || streaming || disabled) return;
    onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="message"
        rows={2}
        placeholder="Ask a question (Enter sends, Shift+Enter for a new line)"
        value={text}
        maxLength={maxQuestionChars}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <button type="button" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || !text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
