import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Citation } from '../api/types.ts';
import { CitationButton } from './CitationButton.tsx';
import { FeedbackControls } from './FeedbackControls.tsx';
import { Markdown } from './Markdown.tsx';
import type { ChatMessage } from './useChat.ts';

interface Props {
  message: ChatMessage;
  isLast: boolean;
  onOpenCitation: (citation: Citation) => void;
  onRegenerate: () => void;
  onRate: (rating: 1 | -1, comment?: string) => Promise<void>;
}

/** Says plainly when no language model wrote the answer, or why it stopped. */
function AnswerLabel({ message }: { message: ChatMessage }) {
  const { t } = useTranslation();
  const extractive = message.answerMode === 'extractive';
  const lines = [
    // The server's notices are English; the known ones have translations keyed by their text.
    extractive
      ? t(message.notice ?? 'These sentences are quoted from your documents; no language model wrote them.')
      : message.notice && t(message.notice),
    message.status === 'cancelled' ? (message.error?.message ?? t('Stopped before it finished.')) : null,
    message.status === 'failed' && message.error ? message.error.message : null,
  ].filter((line): line is string => Boolean(line));
  if (!extractive && !lines.length) return null;
  return (
    <p className={`answer-label${message.status === 'failed' ? ' failed' : ''}`}>
      {extractive && <strong className="badge">{t('Extractive answer')}</strong>} {lines.join(' ')}
    </p>
  );
}

export function MessageView({ message, isLast, onOpenCitation, onRegenerate, onRate }: Props) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  if (message.role === 'user') {
    return (
      <article className="message question" aria-label={t('Your question')}>
        <p dir="auto">{message.content}</p>
      </article>
    );
  }
  const byNumber = new Map(message.citations.map((citation) => [citation.index, citation]));
  const streaming = message.status === 'streaming';
  const copy = async () => {
    await navigator.clipboard.writeText(message.content);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <article className="message answer" aria-label={t('Answer')} aria-busy={streaming}>
      <AnswerLabel message={message} />
      {message.content ? (
        <Markdown
          text={message.content}
          citationNumbers={[...byNumber.keys()]}
          renderCitation={(n) => <CitationButton citation={byNumber.get(n)!} onOpen={onOpenCitation} />}
        />
      ) : (
        streaming && <p className="thinking">{t('Searching your documents…')}</p>
      )}
      {message.citations.length > 0 && (
        <section className="sources" aria-label={t('Sources')}>
          <h3>{t('Sources')}</h3>
          <ol>
            {message.citations.map((citation) => (
              <li key={citation.index} dir="auto">
                <CitationButton citation={citation} onOpen={onOpenCitation} /> {citation.title || citation.filename}
              </li>
            ))}
          </ol>
        </section>
      )}
      {!streaming && (
        <div className="message-actions">
          <button type="button" onClick={() => void copy()}>
            {copied ? t('Copied') : t('Copy')}
          </button>
          {isLast && (
            <button type="button" onClick={onRegenerate}>
              {t('Regenerate')}
            </button>
          )}
          {!message.id.startsWith('local-') && <FeedbackControls message={message} onRate={onRate} />}
        </div>
      )}
    </article>
  );
}
