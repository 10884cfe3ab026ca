import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AssistantService } from '../../assistants/AssistantService.ts';
import type { Logger } from '../../logging/logger.ts';
import { callerOf } from '../McpCaller.ts';
import { toolResult } from './toolResult.ts';

/** `list_assistants`: the assistants `ask` and `search` take, with the collections of each the caller may read. */
export function registerListAssistantsTool(server: McpServer, deps: { assistants: AssistantService; logger: Logger }): void {
  server.registerTool(
    'list_assistants',
    {
      title: 'List assistants',
      description:
        "Lists Tapeout's assistants: their slugs (for ask and search), what each is for, and which of its collections you may read.",
      outputSchema: {
        assistants: z.array(z.object({ slug: z.string(), name: z.string(), description: z.string(), collections: z.array(z.string()) })),
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (extra) =>
      toolResult('list_assistants', deps.logger, async () => {
        const assistants = await deps.assistants.list(callerOf(extra).principal);
        return {
          assistants: assistants.map(({ slug, name, description, collections }) => ({
            slug,
            name,
            description,
            collections: [...collections],
          })),
        };
      }),
  );
}
