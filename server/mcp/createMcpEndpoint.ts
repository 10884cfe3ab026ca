import { readFileSync } from 'node:fs';
import { DocumentTexts } from '../documents/DocumentTexts.ts';
import type { Services } from '../services.ts';
import { McpEndpoint } from './McpEndpoint.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Tapeout's MCP server, built from the services (web instances only: workers serve no /mcp). */
export function createMcpEndpoint(services: Services): McpEndpoint {
  const { config } = services;
  return new McpEndpoint({
    settings: config.mcp,
    publicUrl: config.publicUrl,
    version,
    users: services.users,
    credentialEvents: services.credentialEvents,
    authorization: services.mcpAuthorization,
    server: {
      search: services.search,
      answerer: services.answerer,
      assistants: services.assistants,
      texts: new DocumentTexts(services.db),
      chatQuota: services.chatQuota,
      answersInFlight: services.answersInFlight,
      chatLimits: config.chat,
      publicUrl: config.publicUrl,
      logger: services.logger.child({ component: 'mcp' }),
    },
    logger: services.logger.child({ component: 'mcp' }),
  });
}
