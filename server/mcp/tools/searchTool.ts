import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.ts';
import { presentFoundPassage } from '../../presenters/search.ts';
import { searchLimits, type SearchService } from '../../search/SearchService.ts';
import { callerOf } from '../McpCaller.ts';
import { toolResult } from './toolResult.ts';

const passage = z.object({
  id: z.string().describe("The passage's id; its source viewer is at `citation`."),
  documentId: z.string(),
  title: z.string(),
  text: z.string(),
  headingPath: z.array(z.string()),
  page: z.number().nullable(),
  lines: z.object({ start: z.number(), end: z.number() }).nullable(),
  path: z.string().nullable().describe("The file's path in its source, or the uploaded file's name."),
  url: z.string().nullable().describe('The page or file in its own system (Confluence, Git at these lines, a web page), when it has one.'),
  citation: z.string().describe("Tapeout's source viewer showing the passage in context: link it when quoting."),
  relevance: z.number(),
});

/** `search`: passages for a query, under the caller's grants. */
export function registerSearchTool(server: McpServer, deps: { search: SearchService; logger: Logger }): void {
  server.registerTool(
    'search',
    {
      title: 'Search company documents',
      description:
        "Finds passages in the company documents you may read (hybrid full-text and vector search, reranked). Give `assistant` to search that assistant's collections, or `collection` for one collection; neither searches everything you may read. Each passage has a citation link to Tapeout's source viewer.",
      inputSchema: {
        query: z.string().min(1).max(searchLimits.query).describe('What to look for, in any language.'),
        assistant: z.string().min(1).max(200).optional().describe("An assistant's slug (see list_assistants)."),
        collection: z.string().min(1).max(200).optional().describe("A collection's slug."),
        limit: z
          .number()
          .int()
          .min(1)
          .max(searchLimits.maxPassages)
          .optional()
          .describe(`Passages to return (default ${searchLimits.defaultPassages}).`),
      },
      outputSchema: { passages: z.array(passage) },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      toolResult('search', deps.logger, async () => {
        const found = await deps.search.search(callerOf(extra).principal, { ...args, signal: extra.signal });
        return { passages: found.map(presentFoundPassage) };
      }),
  );
}
