import type { ChatSink, FinishedTurn } from '../conversations/runChatTurn.ts';
import { presentCitations, type CitationResponse } from './citations.ts';
import { presentConversation, type ConversationResponse } from './conversations.ts';

/** The question is stored: its id and its answer's; `conversation` when the turn started one. */
export interface ChatStartedEvent {
  questionId: string;
  answerId: string;
  conversation?: ConversationResponse;
}

export interface ChatCitationsEvent {
  citations: CitationResponse[];
}

export interface ChatModeEvent {
  mode: 'llm' | 'extractive';
  notice?: string;
}

export interface ChatTokenEvent {
  text: string;
}

/** How a turn ended: the last event of every streaming surface (SSE `done`, socket.io `chat:done`). */
export interface FinishedTurnResponse {
  answerId: string;
  status: 'complete' | 'cancelled' | 'failed';
  error: { code: string; message: string } | null;
  notice?: string;
}

export type ChatStreamEvent = 'citations' | 'mode' | 'token' | 'done';

/** The events of a turn as REST's server-sent events and socket.io both send them, shaped once. */
export function presentChatEvents(surface: {
  started(event: ChatStartedEvent): void;
  send(event: ChatStreamEvent, data: ChatCitationsEvent | ChatModeEvent | ChatTokenEvent | FinishedTurnResponse): void;
}): ChatSink {
  return {
    started: ({ questionId, answerId, conversation }) =>
      surface.started({ questionId, answerId, ...(conversation ? { conversation: presentConversation(conversation) } : {}) }),
    citations: (citations) => surface.send('citations', { citations: presentCitations(citations) }),
    mode: (mode, notice) => surface.send('mode', { mode, ...(notice ? { notice } : {}) }),
    token: (text) => surface.send('token', { text }),
    finished: (result) => surface.send('done', presentFinishedTurn(result)),
  };
}

function presentFinishedTurn(turn: FinishedTurn): FinishedTurnResponse {
  return { answerId: turn.answerId, status: turn.status, error: turn.error, ...(turn.notice ? { notice: turn.notice } : {}) };
}
