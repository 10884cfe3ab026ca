import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describeError } from '../../errors.ts';
import type { Logger } from '../../logging/logger.ts';
import { mcpToolCalls } from '../../observability/metrics.ts';

/**
 * Runs a tool's work and gives MCP's result: the structured result and, as the spec asks of a
 * tool with an output schema, the same JSON as text for clients that read only text. A failure
 * is a tool error (`isError`) with the message every other entry point gives; internal errors
 * are logged and described without their details.
 */
export async function toolResult(tool: string, logger: Logger, work: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    const structured = await work();
    mcpToolCalls.inc({ tool, outcome: 'ok' });
    return { structuredContent: structured, content: [{ type: 'text', text: JSON.stringify(structured) }] };
  } catch (error) {
    mcpToolCalls.inc({ tool, outcome: 'error' });
    const { status, body } = describeError(error);
    if (status >= 500) logger.error({ err: error, tool }, 'MCP tool failed');
    else logger.info({ tool, code: body.error.code }, 'MCP tool refused');
    return { isError: true, content: [{ type: 'text', text: `${body.error.code}: ${body.error.message}` }] };
  }
}
