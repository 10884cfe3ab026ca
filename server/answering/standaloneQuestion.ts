import type { ChatMessage, ChatModel, ChatUsage } from '../inference/llm/ChatModel.ts';
import type { Logger } from '../logging/logger.ts';

const referring =
  /\b(it|its|this|that|these|those|they|them|their|there|he|she|his|her|same|also|above|previous|instead)\b|^(and|what about|how about)\b/i;

const rewritePrompt = `Rewrite the user's last question as one standalone search query that can be understood without the conversation. Write it in the language of the question. Keep every identifier, name and number exactly. Answer with the query only.`;

/**
 * The question to retrieve with. A follow-up ("and at the slow corner?") depends on the turns
 * before it: the LLM rewrites it into a standalone query when one is configured; otherwise, or
 * when the LLM fails, a follow-up that is short or refers back is searched together with the
 * previous question. The rewrite is only used for retrieval; the LLM still sees the real turns.
 * `usage` is the rewrite's, when the LLM reported it, so that a request's usage covers both calls.
 */
export async function standaloneQuestion(
  messages: ChatMessage[],
  chatModel: ChatModel | undefined,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ query: string; usage?: ChatUsage }> {
  const question = messages.at(-1)!.content.trim();
  const earlier = messages.slice(0, -1).filter((message) => message.role !== 'system');
  // Cut so that a very long earlier question (stored before the question limit) cannot make every later search long.
  const previousQuestion = earlier
    .filter((message) => message.role === 'user')
    .at(-1)
    ?.content.slice(0, 2000)
    .trim();
  if (!previousQuestion) return { query: question };
  if (chatModel) {
    try {
      const transcript = earlier
        .slice(-6)
        .map((message) => `${message.role}: ${message.content.slice(0, 1000)}`)
        .join('\n');
      const result = await chatModel.complete({
        messages: [
          { role: 'system', content: rewritePrompt },
          { role: 'user', content: `Conversation:\n${transcript}\n\nLast question: ${question}` },
        ],
        temperature: 0,
        maxTokens: 96,
        signal,
      });
      const rewritten = result.content.trim().replace(/^["']|["']$/g, '');
      if (rewritten) return { query: rewritten, usage: result.usage };
    } catch (error) {
      if (signal?.aborted) throw error;
      logger.warn({ err: error }, 'question rewriting failed; using the heuristic');
    }
  }
  const dependent = question.split(/\s+/).length <= 6 || referring.test(question);
  return { query: dependent ? `${previousQuestion} ${question}` : question };
}
