import type { Principal } from '../auth/Principal.ts';
import { requireAdmin } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';

export interface UsageReport {
  days: number;
  /** One entry per calendar day (UTC) of the window, zeros included, oldest first. */
  questionsPerDay: { day: string; questions: number }[];
  questions: number;
  /** Answers that cited no source: the assistant found nothing the asker may read. */
  answeredWithoutSources: number;
  feedback: { up: number; down: number };
  /** The latest down-votes with their comments: what to fix first. */
  recentComplaints: { messageId: string; assistant: string; question: string; comment: string | null; createdAt: string }[];
  byAssistant: { assistant: string; questions: number }[];
}

/** Usage of the whole instance over the last `days` days, for the admin console. */
export class UsageService {
  constructor(private readonly db: Database) {}

  async report(principal: Principal, days: number): Promise<UsageReport> {
    requireAdmin(principal, 'read usage');
    const since = `now() - make_interval(days => $1)`;
    const [perDay, totals, feedback, complaints, byAssistant] = await Promise.all([
      this.db.query<{ day: string; questions: number }>(
        `SELECT to_char(d, 'YYYY-MM-DD') AS day, count(m.id)::int AS questions
           FROM generate_series((now() at time zone 'utc')::date - ($1 - 1), (now() at time zone 'utc')::date, interval '1 day') d
           LEFT JOIN messages m ON m.role = 'user' AND (m.created_at at time zone 'utc')::date = d::date
          GROUP BY d ORDER BY d`,
        [days],
      ),
      this.db.query<{ questions: number; unsourced: number }>(
        `SELECT count(*) FILTER (WHERE role = 'user')::int AS questions,
                count(*) FILTER (WHERE role = 'assistant' AND status = 'complete' AND jsonb_array_length(citations) = 0)::int AS unsourced
           FROM messages WHERE created_at > ${since}`,
        [days],
      ),
      this.db.query<{ up: number; down: number }>(
        `SELECT count(*) FILTER (WHERE rating = 1)::int AS up, count(*) FILTER (WHERE rating = -1)::int AS down FROM feedback WHERE created_at > ${since}`,
        [days],
      ),
      this.db.query<UsageReport['recentComplaints'][number]>(
        `SELECT f.message_id AS "messageId", a.slug AS assistant, f.comment, f.created_at AS "createdAt",
                (SELECT q.content FROM messages q WHERE q.conversation_id = m.conversation_id AND q.role = 'user' AND q.created_at < m.created_at
                  ORDER BY q.created_at DESC LIMIT 1) AS question
           FROM feedback f JOIN messages m ON m.id = f.message_id JOIN conversations c ON c.id = m.conversation_id JOIN assistants a ON a.id = c.assistant_id
          WHERE f.rating = -1 AND f.created_at > ${since} ORDER BY f.created_at DESC LIMIT 10`,
        [days],
      ),
      this.db.query<{ assistant: string; questions: number }>(
        `SELECT a.slug AS assistant, count(m.id)::int AS questions
           FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN assistants a ON a.id = c.assistant_id
          WHERE m.role = 'user' AND m.created_at > ${since} GROUP BY a.slug ORDER BY questions DESC`,
        [days],
      ),
    ]);
    return {
      days,
      questionsPerDay: perDay.rows,
      questions: totals.rows[0]!.questions,
      answeredWithoutSources: totals.rows[0]!.unsourced,
      feedback: feedback.rows[0]!,
      recentComplaints: complaints.rows,
      byAssistant: byAssistant.rows,
    };
  }
}
