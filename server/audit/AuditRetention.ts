import type { Logger } from '../logging/logger.ts';
import type { AuditLog } from './AuditLog.ts';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS at start and then daily. Several server
 * instances may each run it: the DELETE is idempotent.
 */
export class AuditRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly audit: AuditLog,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.purge();
    this.timer = setInterval(() => void this.purge(), dayMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
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
