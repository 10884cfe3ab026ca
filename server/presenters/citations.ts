import type { Citation } from '../answering/AssistantAnswerer.ts';

export function presentCitation(citation: Citation) {
  return {
    index: citation.index,
    chunkId: citation.chunkId,
    documentId: citation.documentId,
    collectionId: citation.collectionId,
    title: citation.title,
    filename: citation.filename,
    page: citation.page,
    headingPath: [...citation.headingPath],
    lines: citation.lines ? { start: citation.lines.start, end: citation.lines.end } : null,
    origin: citation.origin
      ? {
          source: citation.origin.source,
          kind: citation.origin.kind,
          location: citation.origin.location,
          path: citation.origin.path,
          commit: citation.origin.commit,
          link: citation.origin.link,
        }
      : null,
    snippet: citation.snippet,
  };
}

export function presentCitations(citations: Citation[]) {
  return citations.map(presentCitation);
}

/** A numbered source of an answer, as the chat streams it and stores it with the message. */
export type CitationResponse = ReturnType<typeof presentCitation>;
