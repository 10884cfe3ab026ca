import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../server/config/index.ts';
import { startRuntime, type Runtime } from '../../server/runtime.ts';
import type { Services } from '../../server/services.ts';
import { buildCollection, uploadAllAndWait } from './factories.ts';
import { copyMigratedDatabase } from './migratedDatabase.ts';
import { silentLogger } from './testDatabase.ts';
import { waitFor } from './waitFor.ts';

export { waitFor };

export interface TestRuntime extends Runtime {
  url: string;
  dataDir: string;
  apiKey: string;
  /** Stops the runtime and deletes its data directory. */
  dispose(): Promise<void>;
}

export const testAdminKey = 'tap_test_admin_key_0123456789abcdef';

/**
 * The real Tapeout runtime, in-process, on a random port and a fresh data directory. The CPU
 * sentence encoder is off unless a test turns it on (`SENTENCE_ENCODER: 'auto'`): it encodes
 * every English chunk in the background at about 15 a second, CPU that specs which do not look at
 * sentence vectors would spend for nothing on a 2-core machine. Answers still streaming when a
 * spec stops its runtime get 2 s to finish, not the 20 s of a deployment. The embedded database
 * starts from a migrated copy (see copyMigratedDatabase).
 */
export async function startTestRuntime(env: Record<string, string> = {}, seedRetryMs?: number): Promise<TestRuntime> {
  const { config, dataDir } = await prepareDataDir(env);
  const runtime = await startRuntime(config, silentLogger, { web: true, worker: true, ...(seedRetryMs ? { seedRetryMs } : {}) });
  return {
    ...runtime,
    url: runtime.url!,
    dataDir,
    apiKey: testAdminKey,
    async dispose() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestServices {
  services: Services;
  dataDir: string;
  /** Stops the services and deletes their data directory. */
  dispose(): Promise<void>;
}

/**
 * Tapeout's services with their background worker, and nothing of the delivery: no HTTP server,
 * socket.io, bootstrap admin or demo seed. For specs of services, tasks and retrieval; the
 * runtime-booting startTestRuntime is for specs of the surfaces themselves.
 */
export async function startTestServices(env: Record<string, string> = {}): Promise<TestServices> {
  const { config, dataDir } = await prepareDataDir(env);
  const runtime = await startRuntime(config, silentLogger, { web: false, worker: true });
  return {
    services: runtime.services,
    dataDir,
    async dispose() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh data directory holding a migrated embedded database (unless DATABASE_URL is set), and the config for it. */
export async function prepareDataDir(env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-runtime-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: testAdminKey,
    EMBEDDED_DATABASE: 'in-process',
    SENTENCE_ENCODER: 'off',
    SHUTDOWN_GRACE_MS: '2000',
    ...env,
  });
  // A spec restarting on an earlier runtime's DATA_DIR finds its database there already.
  const pgDir = path.join(config.dataDir, 'pg');
  if (!config.databaseUrl && !existsSync(pgDir)) await copyMigratedDatabase(pgDir);
  return { config, dataDir };
}

/** Waits until the demo corpus, ingested in the background at first start, is all ready. */
export async function demoCorpusReady(runtime: TestRuntime, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      // The demo's Git repository is synced after the documents are registered: its run counts as waiting too.
      const { rows } = await runtime.services.db.query<{ waiting: number; total: number }>(
        `SELECT (SELECT count(*) FROM documents WHERE status <> 'ready')::int
              + (SELECT count(*) FROM source_runs WHERE status IN ('queued', 'running'))::int
              + (SELECT count(*) FROM instance_settings WHERE key = 'demo_source' AND value->>'state' = 'pending')::int AS waiting,
                (SELECT count(*) FROM documents)::int AS total`,
      );
      return rows[0]!.total > 0 && rows[0]!.waiting === 0 ? true : undefined;
    },
    'the demo corpus',
    timeoutMs,
  );
}

/** A collection on the runtime's embedder, readable by everyone. */
export async function createOpenCollection(runtime: Pick<TestRuntime, 'services'>, slug: string): Promise<string> {
  return (await buildCollection(runtime.services, { slug, grants: { everyone: 'read' } })).id;
}

/** Uploads one text file to a collection through the API, as an admin, and waits until its job completes. */
export async function uploadAndWait(runtime: TestRuntime, collection: string, filename: string, text: string): Promise<void> {
  await uploadAllAndWait(runtime, collection, { [filename]: text });
}
