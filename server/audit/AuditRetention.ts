import type { Logger } from '../logging/logger.ts';
import { everyOnOneInstance, type SchedulerLeases } from '../scheduling/SchedulerLeases.ts';
import type { AuditLog } from './AuditLog.ts';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS at start (on every instance: the DELETE is
 * idempotent) and then daily on one instance of several, the lease's holder.
 */
export class AuditRetention {
  private stopTicking: (() => void) | undefined;

  constructor(
    private readonly audit: AuditLog,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  start(leases: SchedulerLeases): void {
    void this.purge();
    this.stopTicking = everyOnOneInstance(
      leases,
      'audit-retention',
      dayMs,
      () => this.purge(),
      (error) => this.logger.warn({ err: error }, 'old audit events could not be deleted'),
    );
  }

  stop(): void {
    this.stopTicking?.();
  }

  private async purge(): Promise<void> {
    try {
      const deleted = await this.audit.purgeOlderThan(this.days);
      if (deleted) this.logger.info({ deleted, retentionDays: this.days }, 'old audit events deleted');
    } catch (error) {
      this.logger.warn({ err: error }, 'old audit events could not be deleted');
    }
  }
}
