import type { Citation } from '../answering/AssistantAnswerer.ts';
import type { Principal } from '../auth/Principal.ts';
import type { Database, Queryable } from '../db/Database.ts';
import { AuthenticationError, NotFoundError, ValidationError } from '../errors.ts';
import type { ChatMessage } from '../inference/llm/ChatModel.ts';

export interface Conversation {
  id: string;
  assistant: string;
  title: string;
  channel: 'web' | 'api' | 'slack';
  createdAt: string;
  updatedAt: string;
}

export type MessageStatus = 'streaming' | 'complete' | 'cancelled' | 'failed';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  status: MessageStatus;
  answerMode: 'llm' | 'extractive' | null;
  /** Why the answer is labelled as it is (no LLM, the LLM down, nothing found). */
  notice: string | null;
  error: { code: string; message: string } | null;
  feedback: { rating: 1 | -1; comment: string | null } | null;
  createdAt: string;
}

export interface FinishedAnswer {
  content: string;
  status: Exclude<MessageStatus, 'streaming'>;
  citations: Citation[];
  answerMode: 'llm' | 'extractive' | null;
  notice?: string | null;
  error?: { code: string; message: string } | null;
  usage?: { promptTokens: number; completionTokens: number } | undefined;
}

/** Earlier messages read for a new turn: far more than the prompt's history budget holds. */
const historyMessages = 40;

const conversationColumns = `c.id, a.slug AS assistant, c.title, c.channel, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** Conversations and their messages, each visible only to the user who had it. */
export class ConversationService {
  constructor(private readonly db: Database) {}

  async create(principal: Principal, assistantSlug: string, channel: Conversation['channel'] = 'web'): Promise<Conversation> {
    const userId = ownerOf(principal);
    const { rows } = await this.db.query<Conversation>(
      `WITH created AS (
         INSERT INTO conversations (user_id, assistant_id, channel) SELECT $1, id, $3 FROM assistants WHERE slug = $2 RETURNING *)
       SELECT ${conversationColumns} FROM created c JOIN assistants a ON a.id = c.assistant_id`,
      [userId, assistantSlug, channel],
    );
    if (!rows[0]) throw new NotFoundError(`Assistant "${assistantSlug}"`);
    return rows[0];
  }

  /** The user's conversations, newest first; `search` matches titles and message text. */
  async list(principal: Principal, search?: string): Promise<Conversation[]> {
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const { rows } = await this.db.query<Conversation>(
      `SELECT ${conversationColumns} FROM conversations c JOIN assistants a ON a.id = c.assistant_id
        WHERE c.user_id = $1
          AND ($2::text IS NULL OR c.title ILIKE $2 OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content ILIKE $2))
        ORDER BY c.updated_at DESC LIMIT 200`,
      [ownerOf(principal), pattern],
    );
    return rows;
  }

  /**
   * The conversation behind an external thread (a Slack thread, per Slack user), created on its
   * first message, owned by the mapped Tapeout user or by nobody.
   */
  async forExternalThread(principal: Principal, assistantSlug: string, channel: 'slack', externalRef: string): Promise<Conversation> {
    await this.db.query(
      `INSERT INTO conversations (user_id, assistant_id, channel, external_ref) SELECT $1, id, $3, $4 FROM assistants WHERE slug = $2
       ON CONFLICT (channel, external_ref) WHERE external_ref IS NOT NULL DO NOTHING`,
      [principal.userId, assistantSlug, channel, externalRef],
    );
    const { rows } = await this.db.query<Conversation>(
      `SELECT ${conversationColumns} FROM conversations c JOIN assistants a ON a.id = c.assistant_id WHERE c.channel = $1 AND c.external_ref = $2`,
      [channel, externalRef],
    );
    if (!rows[0]) throw new NotFoundError(`Assistant "${assistantSlug}"`);
    return rows[0];
  }

  /** The conversations behind external threads whose reference starts with `prefix`. */
  async externalThreadExists(channel: 'slack', prefix: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`SELECT 1 FROM conversations WHERE channel = $1 AND starts_with(external_ref, $2) LIMIT 1`, [
      channel,
      prefix,
    ]);
    return Boolean(rowCount);
  }

  /** The external thread reference of the conversation an answer belongs to, if it has one. */
  async externalRefOfMessage(messageId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ external_ref: string | null }>(
      `SELECT c.external_ref FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id::text = $1`,
      [messageId],
    );
    return rows[0]?.external_ref ?? undefined;
  }

  async rename(principal: Principal, id: string, title: string): Promise<Conversation> {
    const { rowCount } = await this.db.query('UPDATE conversations SET title = $3 WHERE id::text = $1 AND user_id = $2', [
      id,
      ownerOf(principal),
      title,
    ]);
    if (!rowCount) throw new NotFoundError(`Conversation ${id}`);
    return this.get(principal, id);
  }

  /** The conversation and question of the latest answer, if it may be regenerated (see withdrawLastTurn). */
  async lastTurn(principal: Principal, answerId: string): Promise<{ conversationId: string; question: string }> {
    const turn = await findLastTurn(this.db, ownerOf(principal), answerId, false);
    return { conversationId: turn.conversationId, question: turn.question };
  }

  /**
   * Takes back the last answer of a conversation and the question before it, for asking again
   * (regenerate): the new answer then replaces the old one instead of following it.
   */
  async withdrawLastTurn(principal: Principal, answerId: string): Promise<{ conversationId: string; question: string }> {
    return this.db.transaction(async (client) => {
      const turn = await findLastTurn(client, ownerOf(principal), answerId, true);
      await client.query('DELETE FROM messages WHERE id = ANY($1::uuid[])', [[answerId, turn.questionId]]);
      return { conversationId: turn.conversationId, question: turn.question };
    });
  }

  /** A conversation of the principal's; an unmapped Slack user's (no Tapeout user) are reached only through their thread. */
  async get(principal: Principal, id: string): Promise<Conversation> {
    const { rows } = await this.db.query<Conversation>(
      `SELECT ${conversationColumns} FROM conversations c JOIN assistants a ON a.id = c.assistant_id WHERE c.id::text = $1 AND c.user_id IS NOT DISTINCT FROM $2`,
      [id, principal.userId],
    );
    if (!rows[0]) throw new NotFoundError(`Conversation ${id}`);
    return rows[0];
  }

  async messages(principal: Principal, conversationId: string): Promise<StoredMessage[]> {
    await this.get(principal, conversationId);
    const { rows } = await this.db.query<StoredMessage>(
      `SELECT m.id, m.role, m.content, m.citations, m.status, m.answer_mode AS "answerMode", m.notice, m.error, m.created_at AS "createdAt",
              (SELECT json_build_object('rating', f.rating, 'comment', f.comment) FROM feedback f WHERE f.message_id = m.id AND f.user_id = $2) AS feedback
         FROM messages m WHERE m.conversation_id = $1 ORDER BY m.created_at, m.role DESC`,
      [conversationId, principal.userId],
    );
    return rows;
  }

  /**
   * The latest completed turns, oldest first, as the model sees a conversation's history: at most
   * `historyMessages` of them, so a long conversation costs each new turn no more than a short one.
   */
  async history(conversationId: string): Promise<ChatMessage[]> {
    const { rows } = await this.db.query<ChatMessage>(
      `SELECT role, content FROM (
         SELECT role, content, created_at FROM messages WHERE conversation_id = $1 AND content <> '' AND status IN ('complete', 'cancelled')
          ORDER BY created_at DESC, role LIMIT $2) recent
        ORDER BY created_at, role DESC`,
      [conversationId, historyMessages],
    );
    return rows;
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const { rowCount } = await this.db.query('DELETE FROM conversations WHERE id::text = $1 AND user_id = $2', [id, ownerOf(principal)]);
    if (!rowCount) throw new NotFoundError(`Conversation ${id}`);
  }

  /**
   * Stores the question and an empty answer in 'streaming' state; the first question titles the
   * conversation. One statement: one round trip, atomic.
   */
  async startTurn(conversationId: string, question: string): Promise<{ questionId: string; answerId: string }> {
    const { rows } = await this.db.query<{ questionId: string; answerId: string }>(
      `WITH question AS (
         INSERT INTO messages (conversation_id, role, content) VALUES ($1, 'user', $2) RETURNING id),
       -- A later timestamp than the question's, so the pair always reads in order.
       answer AS (
         INSERT INTO messages (conversation_id, role, status, created_at) VALUES ($1, 'assistant', 'streaming', clock_timestamp()) RETURNING id),
       titled AS (
         UPDATE conversations SET title = CASE WHEN title = '' THEN left($2, 80) ELSE title END, updated_at = now() WHERE id = $1)
       SELECT question.id AS "questionId", answer.id AS "answerId" FROM question, answer`,
      [conversationId, question],
    );
    return rows[0]!;
  }

  async finishAnswer(answerId: string, answer: FinishedAnswer): Promise<void> {
    await this.db.query(
      `UPDATE messages SET content = $2, status = $3, citations = $4, answer_mode = $5, error = $6, prompt_tokens = $7, completion_tokens = $8, notice = $9 WHERE id = $1`,
      [
        answerId,
        answer.content,
        answer.status,
        JSON.stringify(answer.citations),
        answer.answerMode,
        answer.error ? JSON.stringify(answer.error) : null,
        answer.usage?.promptTokens ?? null,
        answer.usage?.completionTokens ?? null,
        answer.notice ?? null,
      ],
    );
  }

  /** Up (1) or down (-1) on an answer of one's own conversation, with an optional comment; a second rating replaces the first. */
  async rate(principal: Principal, messageId: string, rating: 1 | -1, comment: string | undefined): Promise<void> {
    const userId = principal.userId;
    const { rows } = await this.db.query<{ role: string }>(
      `SELECT m.role FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id::text = $1 AND c.user_id IS NOT DISTINCT FROM $2`,
      [messageId, userId],
    );
    if (!rows[0]) throw new NotFoundError(`Message ${messageId}`);
    if (rows[0].role !== 'assistant') throw new ValidationError('Only answers can be rated.');
    await this.db.query(
      `INSERT INTO feedback (message_id, user_id, rating, comment) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, created_at = now()`,
      [messageId, userId, rating, comment ?? null],
    );
  }
}

async function findLastTurn(client: Queryable, userId: string, answerId: string, lock: boolean) {
  const { rows } = await client.query<{ conversation_id: string; status: string; is_last: boolean }>(
    `SELECT m.conversation_id, m.status,
            NOT EXISTS (SELECT 1 FROM messages later WHERE later.conversation_id = m.conversation_id AND later.created_at > m.created_at) AS is_last
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id::text = $1 AND m.role = 'assistant' AND c.user_id = $2 ${lock ? 'FOR UPDATE OF m' : ''}`,
    [answerId, userId],
  );
  const answer = rows[0];
  if (!answer) throw new NotFoundError(`Answer ${answerId}`);
  if (!answer.is_last) throw new ValidationError('Only the latest answer of a conversation can be regenerated.');
  if (answer.status === 'streaming') throw new ValidationError('This answer is still streaming; stop it first.');
  const { rows: question } = await client.query<{ id: string; content: string }>(
    `SELECT id, content FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY created_at DESC LIMIT 1`,
    [answer.conversation_id],
  );
  if (!question[0]) throw new NotFoundError(`The question of answer ${answerId}`);
  return { conversationId: answer.conversation_id, questionId: question[0].id, question: question[0].content };
}

function ownerOf(principal: Principal): string {
  if (!principal.userId) throw new AuthenticationError('Conversations belong to a signed-in user.');
  return principal.userId;
}
