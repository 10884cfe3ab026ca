import type { Conversation, StoredMessage } from '../conversations/ConversationService.ts';
import { presentCitations } from './citations.ts';

export function presentConversation(conversation: Conversation) {
  return {
    id: conversation.id,
    assistant: conversation.assistant,
    title: conversation.title,
    channel: conversation.channel,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  };
}

export function presentMessage(message: StoredMessage) {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    citations: presentCitations(message.citations),
    status: message.status,
    answerMode: message.answerMode,
    notice: message.notice,
    error: message.error,
    feedback: message.feedback,
    createdAt: message.createdAt,
  };
}

export type ConversationResponse = ReturnType<typeof presentConversation>;

export type MessageResponse = ReturnType<typeof presentMessage>;
