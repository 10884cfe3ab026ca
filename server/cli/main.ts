import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { DataDirInUseError } from '../db/EmbeddedPostgres.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { startRuntime, type RuntimeOptions } from '../runtime.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function run(options: RuntimeOptions): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime(config, logger, options).catch((error: unknown) => fail(logger, error));
  if (runtime.url) logger.info(`Tapeout is serving on ${runtime.url}`);
  else logger.info('Tapeout worker is processing background tasks');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function fail(logger: Logger, error: unknown): never {
  if (error instanceof DataDirInUseError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'Tapeout could not start');
  process.exit(1);
}

const program = new Command()
  .name('tapeout')
  .description('Internal enterprise assistants on your own inference microservices.')
  .showHelpAfterError();

program
  .command('start')
  .description('serve the web app and APIs (and process background tasks unless --no-worker)')
  .option('--no-worker', 'leave background tasks to `tapeout worker` processes (needs REDIS_URL)')
  .action(async (options: { worker: boolean }) => run({ web: true, worker: options.worker }));

program
  .command('worker')
  .description('process background tasks from Redis (BullMQ); needs REDIS_URL and DATABASE_URL')
  .action(async () => {
    const config = configOrExit();
    if (!config.redisUrl || !config.databaseUrl) {
      console.error(
        'tapeout worker needs REDIS_URL and DATABASE_URL, shared with the server: ' +
          'with the embedded database or queue, `tapeout start` runs the tasks in-process.',
      );
      process.exit(2);
    }
    await run({ web: false, worker: true });
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const config = configOrExit();
    const logger = createLogger(config.logLevel);
    const { Database } = await import('../db/Database.ts');
    const path = await import('node:path');
    const db = await Database.open({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pg'), logger }).catch(
      (error: unknown) => fail(logger, error),
    );
    await db.close();
    logger.info('database schema is up to date');
  });

await program.parseAsync(process.argv);
