/**
 * Where a document from a source lives there, for citations (documents.origin): the source, the
 * item's place in it, and a link that opens it. `link` may hold {startLine} and {endLine}, filled
 * with the cited chunk's lines (a GitHub, GitLab or Gerrit blob URL with a line anchor).
 */
export interface DocumentOrigin {
  sourceId: string;
  sourceName: string;
  kind: 'git' | 'web' | 'confluence' | 'jira' | 'sharepoint';
  /** The repository's or site's URL, without credentials. */
  location: string;
  /** The file's path in the repository (Git). */
  path?: string;
  /** The commit the stored version was read at (Git). */
  commit?: string;
  /** The page's URL (web), or a link template filled from the source's (Git). */
  link?: string;
}

/** A link of a cited passage: its lines filled in, or the anchor dropped when the passage has none. */
export function linkToLines(link: string, lines: { start: number; end: number } | null): string {
  if (!lines) return link.replace(/#[^#]*\{startLine\}.*$/, '');
  return link.replaceAll('{startLine}', String(lines.start)).replaceAll('{endLine}', String(lines.end));
}
