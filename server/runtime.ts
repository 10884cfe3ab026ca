import type { Server } from 'node:http';
import { queueUnfinishedIngestion, seedDemoContent } from './seed/seedDemoContent.ts';
import { seedDemoSource } from './seed/seedDemoSource.ts';
import { requestReembedding } from '../ingestion/tasks/requestReembedding.ts';
import { requestTextReindexing } from '../ingestion/tasks/requestTextReindexing.ts';
import { requestSentenceVectors } from '../ingestion/tasks/requestSentenceVectors.ts';
import { registerTasks } from './registerTasks.ts';
import { AuditRetention } from './audit/AuditRetention.ts';
import { IngestionWatchdog } from '../ingestion/watchdog/IngestionWatchdog.ts';
import type { Config } from './config/index.ts';
import { createApp } from './http/createApp.ts';
import { createOpsApp } from './http/createOpsApp.ts';
import { collectProcessMetrics, reportQueue } from './observability/metrics.ts';
import type { Logger } from './logging/logger.ts';
import { attachRealtime, type Realtime } from './realtime/attachRealtime.ts';
import { SchedulerLeases } from './scheduling/SchedulerLeases.ts';
import { SourceSchedule } from './sources/SourceSchedule.ts';
import { closeServices, createServices, type Services } from './services.ts';
import { createMcpEndpoint } from './mcp/createMcpEndpoint.ts';
import type { McpEndpoint } from './mcp/McpEndpoint.ts';
import type { SlackBot } from './slack/SlackBot.ts';
import { ensureBootstrapAdmin, formatGeneratedCredentials } from './users/bootstrapAdmin.ts';

export interface RuntimeOptions {
  /** Serve HTTP. */
  web: boolean;
  /** Process background tasks in this process. Always on with the inline queue. */
  worker: boolean;
  /** How long to wait before retrying a demo seed that could not run yet. */
  seedRetryMs?: number;
}

export interface Runtime {
  services: Services;
  url: string | undefined;
  stop(): Promise<void>;
}

/** Boots Tapeout: database and migrations, queue and tasks, bootstrap admin, demo seed, HTTP. */
export async function startRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  const services = await createServices(config, logger);
  let server: Server | undefined;
  let realtime: Realtime | undefined;
  let slack: SlackBot | undefined;
  let mcp: McpEndpoint | undefined;
  const watchdog = new IngestionWatchdog(services.db, services.queue, config.ingestion.stageTimeoutMs, logger);
  const auditRetention = new AuditRetention(services.audit, config.auditRetentionDays, logger);
  const sourceSchedule = new SourceSchedule(services.syncedSources, logger);
  const seeding = { timer: undefined as NodeJS.Timeout | undefined };
  collectProcessMetrics();
  const stopReportingQueue = reportQueue(services.queue);
  try {
    registerTasks(services);
    if (options.worker || services.queue.mode === 'inline') await services.queue.startWorker();
    if (options.web) {
      const admin = await ensureBootstrapAdmin(services.db, services.users, config.admin);
      const credentials = formatGeneratedCredentials(admin);
      if (credentials) console.log(`\n${credentials}\n`);
      for (const warning of admin.warnings ?? []) logger.warn(warning);
      await seedUntilDone(services, config.seedDemo, options.seedRetryMs ?? 15_000, seeding);
      // Slack's SDK loads only where Slack is configured: about 0.25 s of CPU at every start otherwise.
      if (config.slack.botToken) slack = (await import('./slack/SlackBot.ts')).createSlackBot(services);
      mcp = createMcpEndpoint(services);
      server = await listen(createApp(services, { slackRouter: slack?.router, mcp }), config.port, config.host);
      realtime = await attachRealtime(server, services);
      await slack?.start();
      const leases = new SchedulerLeases(services.db);
      watchdog.start(leases);
      auditRetention.start(leases);
      sourceSchedule.start(leases);
    } else if (config.metricsPort !== undefined) {
      server = await listen(createOpsApp(services), config.metricsPort, config.host);
    }
  } catch (error) {
    stopReportingQueue();
    await mcp?.close();
    await closeServices(services);
    throw error;
  }
  const address = server?.address();
  const url = address && typeof address === 'object' ? `http://localhost:${address.port}` : undefined;
  return {
    services,
    url,
    async stop() {
      // Drain: no new connections or answers; those in flight get the grace period, then end with a notice.
      // Background jobs stop being taken at once; those running finish (a kill past the grace is
      // survived too: the job is redone from its file elsewhere or at the next start).
      const closed = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
      const [drained] = await Promise.all([services.answersInFlight.drain(config.shutdownGraceMs), services.queue.stopWorker()]);
      if (drained.finished + drained.cutOff > 0) logger.info(drained, 'answers in flight drained');
      stopReportingQueue();
      clearTimeout(seeding.timer);
      watchdog.stop();
      auditRetention.stop();
      sourceSchedule.stop();
      await slack?.stop();
      await realtime?.close();
      await mcp?.close();
      server?.closeAllConnections();
      await closed;
      await closeServices(services);
    },
  };
}

/**
 * Seeds the demo content, retrying in the background when it cannot yet (a NIM embedder still
 * loading its model answers 503 for many minutes), so start-up never fails on it.
 */
async function seedUntilDone(
  services: Services,
  seed: boolean,
  retryMs: number,
  handle: { timer: NodeJS.Timeout | undefined },
): Promise<void> {
  try {
    if (seed) await seedDemoContent(services);
    await queueUnfinishedIngestion(services);
    await requestReembedding(services);
    await services.collectionLanguages.detectUndetermined();
    await requestTextReindexing(services);
    await requestSentenceVectors(services);
    // The in-process queue keeps nothing across a restart: its queued syncs are queued again at once.
    if (services.queue.mode === 'inline') await services.syncedSources.recoverOrphanedRuns({ atStart: true });
    // After the recovery above, so the demo source's first sync is queued once.
    if (seed) await seedDemoSource(services);
  } catch (error) {
    services.logger.warn({ err: error, retryInMs: retryMs }, 'demo content could not be seeded yet; retrying');
    handle.timer = setTimeout(() => void seedUntilDone(services, seed, retryMs, handle), retryMs);
    handle.timer.unref();
  }
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}
