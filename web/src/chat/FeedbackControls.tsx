import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';
import { ThumbIcon } from '../components/ThumbIcon.tsx';
import type { ChatMessage } from './useChat.ts';

/** Helpful / not helpful on an answer, then an optional comment; a second click changes the rating. */
export function FeedbackControls({
  message,
  onRate,
}: {
  message: ChatMessage;
  onRate: (rating: 1 | -1, comment?: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState(message.feedback?.comment ?? '');
  const [status, setStatus] = useState<string>();
  const commentId = useId();
  const rating = message.feedback?.rating;

  const rate = async (value: 1 | -1) => {
    try {
      await onRate(value);
      setCommenting(true);
      setStatus(t('Thanks for the feedback.'));
    } catch (error) {
      setStatus(errorText(error));
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await onRate(rating ?? -1, comment.trim() || undefined);
      setCommenting(false);
      setStatus(t('Comment sent.'));
    } catch (error) {
      setStatus(errorText(error));
    }
  };

  return (
    <div className="feedback">
      <button type="button" aria-pressed={rating === 1} onClick={() => void rate(1)} title={t('Helpful')}>
        <ThumbIcon />
        <span className="visually-hidden">{t('Helpful')}</span>
      </button>
      <button type="button" aria-pressed={rating === -1} onClick={() => void rate(-1)} title={t('Not helpful')}>
        <ThumbIcon down />
        <span className="visually-hidden">{t('Not helpful')}</span>
      </button>
      {commenting && (
        <form onSubmit={submit} className="feedback-comment">
          <label htmlFor={commentId}>{t('Comment (optional)')}</label>
          <textarea id={commentId} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} dir="auto" />
          <button type="submit">{t('Send comment')}</button>
        </form>
      )}
      {status && (
        <span role="status" className="hint">
          {status}
        </span>
      )}
    </div>
  );
}
