import type { Database } from '../db/Database.ts';
import type { Logger } from '../logging/logger.ts';

export interface AuditEvent {
  /** What happened, as `area.act`: `auth.sign_in`, `auth.sign_out`. */
  action: string;
  outcome: 'success' | 'failure';
  actorUserId?: string | null;
  /** The email acted as (for a failed sign-in, the one tried). */
  actorEmail?: string | null;
  /** What the act was done to, when not the actor. */
  target?: { type: string; id: string };
  ip?: string;
  details?: Record<string, unknown>;
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
        [event.action, event.outcome, event.actorUserId ?? null, event.actorEmail ?? null, event.target?.type ?? null, event.target?.id ?? null, event.ip ?? null, event.details ?? {}],
      );
    } catch (error) {
      this.logger.error({ err: error, action: event.action }, 'audit event could not be written');
    }
  }
}
