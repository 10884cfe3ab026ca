import type { SourcePassage, SourceView } from '../documents/SourceService.ts';

function presentPassage(passage: SourcePassage) {
  return {
    id: passage.id,
    ordinal: passage.ordinal,
    text: passage.text,
    headingPath: [...passage.headingPath],
    page: passage.page,
    lines: passage.lines,
  };
}

export function presentSourceView(view: SourceView) {
  const { id, title, filename, collection, version, updatedAt, downloadable } = view.document;
  return {
    document: { id, title, filename, collection, version, updatedAt, downloadable },
    passage: presentPassage(view.passage),
    before: view.before.map(presentPassage),
    after: view.after.map(presentPassage),
  };
}

export type SourcePassageResponse = ReturnType<typeof presentPassage>;

/** GET /api/passages/:id: the cited passage, its document, and its neighbours to read it in context. */
export type SourceViewResponse = ReturnType<typeof presentSourceView>;
