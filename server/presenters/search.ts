import type { FoundPassage } from '../search/SearchService.ts';

/** A passage found by a search, as POST /api/search and the MCP search tool give it (FoundPassage is made to be shown). */
export function presentFoundPassage(passage: FoundPassage) {
  return { ...passage, lines: passage.lines && { ...passage.lines }, relevance: Math.round(passage.relevance * 10_000) / 10_000 };
}
