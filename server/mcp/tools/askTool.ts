import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AssistantAnswerer, Citation } from '../../answering/AssistantAnswerer.ts';
import { assertConversationFits } from '../../answering/chatLimits.ts';
import type { ChatLimits } from '../../config/index.ts';
import { admitAnswer, type AnswerAdmissionDeps } from '../../limits/admitAnswer.ts';
import type { Logger } from '../../logging/logger.ts';
import { callerOf } from '../McpCaller.ts';
import { toolResult } from './toolResult.ts';

export type AskToolDeps = AnswerAdmissionDeps & { answerer: AssistantAnswerer; chatLimits: ChatLimits; publicUrl: string; logger: Logger };

const citation = z.object({
  index: z.number().describe('The [n] the answer cites it by.'),
  title: z.string(),
  path: z.string().nullable(),
  page: z.number().nullable(),
  url: z.string().nullable(),
  citation: z.string().describe("Tapeout's source viewer showing the passage in context."),
  snippet: z.string(),
});

/**
 * `ask`: one question to an assistant, answered as the web chat answers it (retrieval under the
 * caller's grants, the assistant's prompt, its LLM), through the same door (quota, drain).
 * `answerMode` says whether an LLM wrote the answer or it quotes passages (no LLM configured or
 * reachable), so an agent never passes quoted passages off as a model's answer.
 */
export function registerAskTool(server: McpServer, deps: AskToolDeps): void {
  server.registerTool(
    'ask',
    {
      title: 'Ask an assistant',
      description:
        "Asks one of Tapeout's assistants (see list_assistants) a question. It answers from the company documents you may read, citing them as [n]; `answerMode` is 'llm' for a model's answer or 'extractive' when it quotes the passages instead.",
      inputSchema: {
        assistant: z.string().min(1).max(200).describe("The assistant's slug."),
        question: z.string().min(1).describe('The question, in any language.'),
      },
      outputSchema: {
        answer: z.string(),
        answerMode: z.enum(['llm', 'extractive']),
        notice: z.string().nullable().describe('Why the answer is extractive or incomplete, when it is.'),
        citations: z.array(citation),
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) => toolResult('ask', deps.logger, () => ask(deps, callerOf(extra).principal, args, extra.signal)),
  );
}

async function ask(
  deps: AskToolDeps,
  principal: Parameters<AssistantAnswerer['prepare']>[0],
  args: { assistant: string; question: string },
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const messages = [{ role: 'user' as const, content: args.question }];
  assertConversationFits(messages, deps.chatLimits);
  const admitted = await admitAnswer(deps, { principal });
  try {
    const prepared = await deps.answerer.prepare(principal, {
      assistant: args.assistant,
      messages,
      signal: AbortSignal.any([signal, admitted.signal]),
    });
    let answer = '';
    let answerMode: 'llm' | 'extractive' = 'extractive';
    let notice: string | null = null;
    for await (const event of prepared.events) {
      if (event.type === 'mode') [answerMode, notice] = [event.mode, event.notice ?? null];
      else if (event.type === 'token') answer += event.text;
      else if (event.type === 'interrupted') notice = event.notice;
    }
    return { answer, answerMode, notice, citations: prepared.citations.map((cited) => citationOf(cited, deps.publicUrl)) };
  } finally {
    await admitted.end();
  }
}

function citationOf(cited: Citation, publicUrl: string) {
  return {
    index: cited.index,
    title: cited.title,
    path: cited.origin?.path ?? cited.filename,
    page: cited.page,
    url: cited.origin?.link ?? null,
    citation: `${publicUrl}/sources/${cited.chunkId}`,
    snippet: cited.snippet,
  };
}
