import { citationPlace } from './CitationButton.tsx';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assistant, Citation, Conversation } from '../api/types.ts';
import 'highlight.js/styles/github.css';
import './chat.css';
import { Composer } from './Composer.tsx';
import { MessageView } from './MessageView.tsx';
import { SourceViewer } from './SourceViewer.tsx';
import { useChat } from './useChat.ts';

interface Props {
  conversationId: string | undefined;
  assistant: Assistant | undefined;
  assistantSlug: string;
  onCreated: (conversation: Conversation) => void;
  /** Called when an answer finishes (the conversation list reorders). */
  onAnswered?: () => void;
}

/** A conversation's messages, the message box and the source viewer; also the admin's "try it" panel. */
export function ChatPanel({ conversationId, assistant, assistantSlug, onCreated, onAnswered }: Props) {
  const { t } = useTranslation();
  const chat = useChat(conversationId, onCreated);
  const [source, setSource] = useState<Citation>();
  const end = useRef<HTMLDivElement>(null);
  const wasStreaming = useRef(false);

  useEffect(() => {
    // Braces: in current Chromium, scrollIntoView returns a promise, which React would take for a cleanup.
    void end.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages]);
  useEffect(() => {
    if (wasStreaming.current && !chat.streaming) onAnswered?.();
    wasStreaming.current = chat.streaming;
  }, [chat.streaming, onAnswered]);

  const lastAnswer = chat.messages.findLast((m) => m.role === 'assistant');
  return (
    <section className="chat-panel" aria-label={assistant ? t('Conversation with {{name}}', { name: assistant.name }) : t('Conversation')}>
      {assistant && conversationId && (
        <header className="chat-header">
          <h1 dir="auto">{assistant.name}</h1>
          <p dir="auto">{assistant.description}</p>
        </header>
      )}
      {chat.problem && <p role="alert">{chat.problem}</p>}
      {chat.loading && <p role="status">{t('Loading the conversation…')}</p>}
      <div className="messages" role="log" aria-live="polite" aria-relevant="additions">
        {!chat.loading && chat.messages.length === 0 && (
          <p className="empty">{assistant ? t('Ask {{name}} about your documents.', { name: assistant.name }) : t('Ask a question.')}</p>
        )}
        {chat.messages.map((message) => (
          <MessageView
            key={message.id}
            message={message}
            isLast={message === lastAnswer}
            onOpenCitation={setSource}
            onRegenerate={() => void chat.regenerate(message.id, assistantSlug)}
            onRate={(rating, comment) => chat.rate(message.id, rating, comment)}
          />
        ))}
        <div ref={end} />
      </div>
      <Composer streaming={chat.streaming} onSend={(text) => void chat.send(text, assistantSlug)} onStop={chat.stop} />
      {source && (
        <SourceViewer
          chunkId={source.chunkId}
          label={`[${source.index}] ${source.title || source.filename}`}
          origin={source.origin && { source: source.origin.source, link: source.origin.link, place: citationPlace(source) }}
          onClose={() => setSource(undefined)}
        />
      )}
    </section>
  );
}
