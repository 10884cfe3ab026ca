import type { ChatLimits } from '../config/index.ts';
import { LimitExceededError } from '../errors.ts';
import type { ChatMessage } from '../inference/llm/ChatModel.ts';

const formatted = (n: number) => n.toLocaleString('en-US');

/**
 * The limits every surface (REST, socket.io, /v1, Slack) applies before any work starts, so that
 * one request cannot take the server's CPU from everyone else and a refused question is never
 * stored. Each message names the limit and what was sent.
 */
export function assertQuestionFits(question: string, limits: ChatLimits): void {
  if (question.length > limits.maxQuestionChars) {
    throw new LimitExceededError(
      'question_too_long',
      `Questions are limited to ${formatted(limits.maxQuestionChars)} characters; this one has ${formatted(question.length)}. Shorten it, or attach the text as a document.`,
    );
  }
}

/** A stateless conversation (/v1): its message count, its total size, and its last question. */
export function assertConversationFits(messages: ChatMessage[], limits: ChatLimits): void {
  if (messages.length > limits.maxMessages) {
    throw new LimitExceededError(
      'too_many_messages',
      `A request may carry at most ${formatted(limits.maxMessages)} messages; this one has ${formatted(messages.length)}.`,
      400,
    );
  }
  const total = messages.reduce((sum, message) => sum + message.content.length, 0);
  if (total > limits.maxHistoryChars) {
    throw new LimitExceededError(
      'conversation_too_long',
      `The messages of a request are limited to ${formatted(limits.maxHistoryChars)} characters together; these have ${formatted(total)}. Start a new conversation.`,
    );
  }
  const question = messages.at(-1);
  if (question) assertQuestionFits(question.content, limits);
}
