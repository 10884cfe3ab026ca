import type { Database } from '../db/Database.ts';
import type { Logger } from '../logging/logger.ts';

export interface AuditEvent {
  /** What happened, as `area.act`: `auth.sign_in`, `collection.granted`, `scim.user_deactivated`. */
  action: string;
  outcome: 'success' | 'failure';
  actorUserId?: string | null;
  /** The email acted as (for a failed sign-in, the one tried; `SCIM` for the provisioning connector). */
  actorEmail?: string | null;
  /** What the act was done to, when not the actor. */
  target?: { type: string; id: string };
  ip?: string;
  details?: Record<string, unknown>;
}

export interface AuditEventRow {
  id: string;
  createdAt: string;
  action: string;
  outcome: 'success' | 'failure';
  actorEmail: string | null;
  actorUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  /** An action, or an area such as `auth` or `scim` (matches `auth.*`). */
  action?: string;
  /** Part of the actor's email, case-insensitive. */
  actor?: string;
  outcome?: 'success' | 'failure';
  from?: Date;
  to?: Date;
  /** Events older than this id (the next page). */
  before?: string;
  limit: number;
}

/**
 * The audit trail of security-relevant acts, in audit_events. Writing it never fails the act it
 * records: a failed write is logged instead.
 */
export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO audit_events (action, outcome, actor_user_id, actor_email, target_type, target_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          event.action,
          event.outcome,
          event.actorUserId ?? null,
          event.actorEmail ?? null,
          event.target?.type ?? null,
          event.target?.id ?? null,
          event.ip ?? null,
          event.details ?? {},
        ],
      );
    } catch (error) {
      this.logger.error({ err: error, action: event.action }, 'audit event could not be written');
    }
  }

  /** Newest first. */
  async list(query: AuditQuery): Promise<AuditEventRow[]> {
    const { rows } = await this.db.query<AuditEventRow>(
      `SELECT id::text, created_at AS "createdAt", action, outcome, actor_email AS "actorEmail", actor_user_id AS "actorUserId",
              target_type AS "targetType", target_id AS "targetId", ip, details
         FROM audit_events
        WHERE ($1::text IS NULL OR action = $1 OR action LIKE $1 || '.%')
          AND ($2::text IS NULL OR actor_email ILIKE '%' || replace(replace(replace($2, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
          AND ($3::text IS NULL OR outcome = $3)
          AND ($4::timestamptz IS NULL OR created_at >= $4)
          AND ($5::timestamptz IS NULL OR created_at < $5)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC LIMIT $7`,
      [
        query.action ?? null,
        query.actor ?? null,
        query.outcome ?? null,
        query.from ?? null,
        query.to ?? null,
        query.before ?? null,
        query.limit,
      ],
    );
    return rows;
  }

  /** Deletes events older than the retention period; returns how many. */
  async purgeOlderThan(days: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM audit_events WHERE created_at < now() - make_interval(days => $1)', [days]);
    return rowCount ?? 0;
  }
}
