import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DocumentTexts } from '../documents/DocumentTexts.ts';
import { NotFoundError } from '../errors.ts';
import { callerOf } from './McpCaller.ts';

export const documentUri = (id: string) => `tapeout://documents/${id}`;

/**
 * The documents the caller may read as MCP resources (`tapeout://documents/{id}`): listed most
 * recently changed first (at most documentTextLimits.listed), each read as its whole text.
 */
export function registerDocumentResources(server: McpServer, deps: { texts: DocumentTexts }): void {
  server.registerResource(
    'document',
    new ResourceTemplate('tapeout://documents/{id}', {
      list: async (extra) => ({
        resources: (await deps.texts.readable(callerOf(extra).principal)).map((document) => ({
          uri: documentUri(document.id),
          name: document.title,
          title: document.title,
          description: `In collection ${document.collection}${document.filename ? `, from ${document.filename}` : ''}; updated ${new Date(document.updatedAt).toISOString()}.`,
          mimeType: 'text/plain',
        })),
      }),
    }),
    { title: 'Company document', description: 'A document you may read, as text.', mimeType: 'text/plain' },
    async (uri, variables, extra) => {
      const id = String(variables.id ?? '');
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError(`Resource ${uri.href}`);
      const document = await deps.texts.text(callerOf(extra).principal, id);
      const note = document.truncated ? '\n\n[Truncated: the document is longer than this server gives as one resource.]' : '';
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: document.text + note }] };
    },
  );
}
