import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.ts';
import type { SourceView } from '../api/types.ts';

/**
 * The cited passage in its document, between its neighbouring passages, with the heading and
 * page, and a download of the original file. A native modal dialog: focus is trapped inside and
 * Escape closes it.
 */
export function SourceViewer({
  chunkId,
  label,
  origin,
  onClose,
}: {
  chunkId: string;
  label?: string;
  /** Where a document from a source lives there (its repository, path and lines), with a link to open it. */
  origin?: { source: string; link: string | null; place: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const cited = useRef<HTMLElement>(null);
  const [view, setView] = useState<SourceView>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    dialog.current?.showModal();
    const controller = new AbortController();
    api<SourceView>(`/passages/${chunkId}`, { signal: controller.signal })
      .then(setView)
      .catch((error) => controller.signal.aborted || setProblem(errorText(error)));
    return () => controller.abort();
  }, [chunkId]);

  useEffect(() => {
    void cited.current?.scrollIntoView({ block: 'center' });
  }, [view]);

  const place = view
    ? [view.passage.headingPath.join(' › '), view.passage.page ? t('Page {{page}}', { page: view.passage.page }) : '']
        .filter(Boolean)
        .join(' · ')
    : '';
  return (
    <dialog ref={dialog} className="source-viewer" aria-labelledby="source-title" onClose={onClose}>
      <header>
        <h2 id="source-title" dir="auto">
          {label ?? view?.document.title ?? t('Source')}
        </h2>
        <button type="button" onClick={() => dialog.current?.close()} aria-label={t('Close source')}>
          ×
        </button>
      </header>
      {!view && !problem && <p role="status">{t('Loading the passage…')}</p>}
      {problem && <p role="alert">{problem}</p>}
      {view && (
        <>
          <p className="source-meta">
            {view.document.filename ?? view.document.title} · {t('collection')} {view.document.collection} · {t('version')}{' '}
            {view.document.version}
            {place && <> · {place}</>}
          </p>
          {/* Code (a passage with line numbers) reads in a fixed-width font, left to right. */}
          <div className={view.passage.lines ? 'source-text code' : 'source-text'} dir={view.passage.lines ? 'ltr' : 'auto'}>
            {view.before.map((passage) => (
              <p key={passage.id} className="context" dir="auto">
                {passage.text}
              </p>
            ))}
            <section ref={cited} className="cited" aria-label={t('Cited passage')} dir="auto">
              <mark>{view.passage.text}</mark>
            </section>
            {view.after.map((passage) => (
              <p key={passage.id} className="context" dir="auto">
                {passage.text}
              </p>
            ))}
          </div>
          <footer>
            {origin && (
              <span className="hint">
                {t('From the source {{source}}: {{place}}', { source: origin.source, place: origin.place })}{' '}
                {origin.link && (
                  <a href={origin.link} target="_blank" rel="noreferrer noopener">
                    {t('Open it there')}
                  </a>
                )}
              </span>
            )}
            {view.document.downloadable ? (
              <a className="button" href={`/api/documents/${view.document.id}/file`} download>
                {t('Download original file')}
              </a>
            ) : (
              <span className="hint">{t('No original file is stored for this document (it was imported as text).')}</span>
            )}
          </footer>
        </>
      )}
    </dialog>
  );
}
