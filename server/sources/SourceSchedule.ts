import type { Logger } from '../logging/logger.ts';
import { everyOnOneInstance, type SchedulerLeases } from '../scheduling/SchedulerLeases.ts';
import type { SyncedSources } from './SyncedSources.ts';

const minuteMs = 60_000;

/**
 * Each minute, on the one instance holding the lease: queues the sources whose schedule is due,
 * and the permission-only syncs due (CONNECTOR_PERMISSION_SYNC_MINUTES), and queues again the runs whose worker was killed (their lease lapsed).
 */
export class SourceSchedule {
  private stopTicking: (() => void) | undefined;

  constructor(
    private readonly sources: Pick<SyncedSources, 'queueDueSyncs' | 'queueDuePermissionSyncs' | 'recoverOrphanedRuns'>,
    private readonly logger: Logger,
  ) {}

  start(leases: SchedulerLeases): void {
    this.stopTicking = everyOnOneInstance(
      leases,
      'source-schedules',
      minuteMs,
      () => this.tick(),
      (error) => this.logger.warn({ err: error }, 'scheduled source syncs could not be queued'),
    );
  }

  stop(): void {
    this.stopTicking?.();
  }

  async tick(): Promise<void> {
    const recovered = await this.sources.recoverOrphanedRuns();
    if (recovered) this.logger.warn({ runs: recovered }, 'source syncs whose worker stopped were queued again');
    const queued = await this.sources.queueDueSyncs();
    if (queued) this.logger.info({ sources: queued }, 'scheduled source syncs queued');
    const permissionSyncs = await this.sources.queueDuePermissionSyncs();
    if (permissionSyncs) this.logger.info({ sources: permissionSyncs }, 'permission-only source syncs queued');
  }
}
