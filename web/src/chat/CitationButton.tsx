import { useId, useState } from 'react';
import type { Citation } from '../api/types.ts';
import { i18n } from '../i18n/i18n.ts';

export function citationPlace(citation: Citation): string {
  const parts = [
    citation.headingPath.join(' › '),
    citation.page ? i18n.t('page {{page}}', { page: citation.page }) : '',
    citation.lines ? i18n.t('lines {{start}}–{{end}}', citation.lines) : '',
    citation.origin?.commit ? i18n.t('commit {{commit}}', { commit: citation.origin.commit.slice(0, 10) }) : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** A numbered citation ("[1]"): a preview on hover or focus, the source viewer on click. */
export function CitationButton({ citation, onOpen }: { citation: Citation; onOpen: (citation: Citation) => void }) {
  const [previewing, setPreviewing] = useState(false);
  const previewId = useId();
  return (
    <span className="citation" onMouseEnter={() => setPreviewing(true)} onMouseLeave={() => setPreviewing(false)}>
      <button
        type="button"
        className="citation-button"
        aria-describedby={previewing ? previewId : undefined}
        onFocus={() => setPreviewing(true)}
        onBlur={() => setPreviewing(false)}
        onKeyDown={(event) => event.key === 'Escape' && setPreviewing(false)}
        onClick={() => onOpen(citation)}
      >
        [{citation.index}]
      </button>
      {previewing && (
        <span role="tooltip" id={previewId} className="citation-preview">
          <strong dir="auto">{citation.title || citation.filename}</strong>
          {citationPlace(citation) && <span className="place">{citationPlace(citation)}</span>}
          <span className="snippet" dir="auto">
            {citation.snippet}
          </span>
        </span>
      )}
    </span>
  );
}
