import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { DataDirInUseError, SocketPathError } from '../db/EmbeddedPostgres.ts';
import { AppError } from '../errors.ts';
import { CliError } from './CliError.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import type { RuntimeOptions } from '../runtime.ts';

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
  // Loaded here, not at the top: `tapeout db` and the batch commands need none of the server.
  const { startRuntime } = await import('../runtime.ts');
  const tracing = config.tracing.enabled ? await startOtlpTracing(config.tracing.serviceName) : undefined;
  const runtime = await startRuntime(config, logger, options).catch((error: unknown) => fail(logger, error));
  if (options.web) logger.info(`Tapeout is serving on ${runtime.url}`);
  else
    logger.info(
      runtime.url
        ? `Tapeout worker is processing background tasks; /metrics and /healthz on ${runtime.url}`
        : 'Tapeout worker is processing background tasks',
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl-C (or SIGTERM) does not wait for the drain.
      logger.warn({ signal }, 'stopping at once: answers in flight are cut off without their notice');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new questions; answers in flight may finish');
    await runtime.stop();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function startOtlpTracing(serviceName: string) {
  const { otlpExporter, startTracing } = await import('../observability/startTracing.ts');
  return startTracing({ serviceName, exporter: await otlpExporter() });
}

/**
 * A command that runs to completion and reports in plain words: info logs stay quiet, and a
 * known failure prints its message alone with exit code 2.
 */
async function runBatchCommand(name: string, command: (config: Config, logger: Logger) => Promise<number>): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  try {
    process.exitCode = await command(config, logger);
  } catch (error) {
    console.error(error instanceof CliError || error instanceof AppError ? error.message : `${name} failed: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}

function fail(logger: Logger, error: unknown): never {
  if (error instanceof DataDirInUseError || error instanceof SocketPathError) logger.fatal(error.message);
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
  .command('db')
  .description('serve the embedded database alone (PGlite + pgvector on a private Unix socket), for several instances on one machine')
  .option('--pg-dir <dir>', 'the database directory (default: DATA_DIR/pg)')
  .option(
    '--socket-dir <dir>',
    'serve the socket in this private directory (default: the database directory when its path is short enough)',
  )
  .addOption(
    new Option('--log-level <level>', 'log level (default: LOG_LEVEL)').choices([
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
  )
  .action(async (options: { pgDir?: string; socketDir?: string; logLevel?: string }) => {
    const config = configOrExit();
    const { dbCommand } = await import('./dbCommand.ts');
    await dbCommand(options, config, createLogger(options.logLevel ?? config.logLevel));
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

program
  .command('ingest')
  .description('ingest files and folders (recursively) into a collection; works whether or not the server runs')
  .argument('<paths...>', 'files or folders')
  .requiredOption('-c, --collection <slug>', 'the collection to ingest into')
  .option('--create', 'create the collection if it does not exist')
  .option('--server <url>', 'ingest through this running server instead of opening the database')
  .option('--api-key <key>', 'admin API key for --server (default: ADMIN_API_KEY)')
  .action(async (paths: string[], options: { collection: string; create?: boolean; server?: string; apiKey?: string }) => {
    const { ingestCommand } = await import('./ingest/ingestCommand.ts');
    await runBatchCommand('ingest', (config, logger) => ingestCommand(paths, options, config, logger));
  });

program
  .command('import')
  .description('import a BEIR/JSONL corpus (_id, title, text per line) into a collection, keeping _id as the external id')
  .argument('<corpus.jsonl>', 'the corpus file')
  .requiredOption('-c, --collection <slug>', 'the collection to import into')
  .action(async (file: string, options: { collection: string }) => {
    const { importCommand } = await import('./ingest/importCommand.ts');
    await runBatchCommand('import', (config, logger) => importCommand(file, options.collection, config, logger));
  });

const source = program
  .command('source')
  .description('manage the sources of a running server (Git, web sites, Confluence, Jira, SharePoint) through its REST API')
  .option('--server <url>', 'the server (default: http://localhost:PORT)')
  .option('--api-key <key>', "an API key of an admin or the collection's editor (default: ADMIN_API_KEY)");
const sourceCommands = async (config: Config) => new (await import('./sourceCommand.ts')).SourceCommands(source.opts(), config);

source
  .command('list')
  .description('list the sources, with their last run')
  .action(() => runBatchCommand('source list', async (config) => (await sourceCommands(config)).list()));

source
  .command('add')
  .description('add a source to a collection; its first sync starts at once')
  .requiredOption('-c, --collection <slug>', 'the collection it keeps in sync')
  .requiredOption('--name <name>', 'its name in the collection')
  .requiredOption('--url <url>', 'Git: https://host/group/repo.git, or file:///path under CONNECTOR_LOCAL_ROOTS; web: the start page')
  .option('--kind <kind>', 'git, web, confluence, jira or sharepoint', 'git')
  .option('--branch <branch>', "Git: the branch (default: the repository's default branch)")
  .option('--include <glob>', 'index only matching paths (repeatable)', collect, [])
  .option('--exclude <glob>', 'leave out matching paths (repeatable)', collect, [])
  .option('--host <host>', 'web: another host of the site (repeatable)', collect, [])
  .option('--max-depth <n>', 'web: links followed from the start page (default 3)')
  .option('--max-pages <n>', 'web: pages fetched per sync at most (default 1000)')
  .option(
    '--settings <json>',
    'the kind\'s settings as JSON (Confluence: {"spaces":["HW"]}; Jira: {"projects":["ORION"]}); see docs/sources.md',
  )
  .option('--schedule <cron>', 'a cron expression in UTC, or "manual" (default: hourly)')
  .option('--token-stdin', 'read an access token (SharePoint: the client secret) from standard input')
  .option('--username <email>', 'Atlassian Cloud: the account email the API token belongs to')
  .option('--tenant-id <id>', 'SharePoint: the directory (tenant) id of the app')
  .option('--client-id <id>', 'SharePoint: the application (client) id')
  .action((options) => runBatchCommand('source add', async (config) => (await sourceCommands(config)).add(options)));

source
  .command('sync')
  .description('sync a source now')
  .argument('<source>', 'its id, name or collection/name')
  .option('--wait', 'wait for the sync to end and print its counts and errors')
  .option('--permissions', 'Confluence, Jira, SharePoint: re-read who may read each document, nothing else')
  .action((which: string, options: { wait?: boolean; permissions?: boolean }) =>
    runBatchCommand('source sync', async (config) =>
      (await sourceCommands(config)).sync(which, Boolean(options.wait), options.permissions ? 'permissions' : 'content'),
    ),
  );

program
  .command('eval')
  .description('score retrieval on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) in a throwaway database')
  .argument('<dir>', 'the BEIR folder')
  .option('--run-file <path>', 'write the ranking as a TREC run file (top 100 per query)')
  .option('--keep', 'keep the throwaway data directory')
  .action(async (dir: string, options: { runFile?: string; keep?: boolean }) => {
    const { evalCommand } = await import('./eval/evalCommand.ts');
    await runBatchCommand('eval', (config, logger) => evalCommand(dir, options, config, logger));
  });

program
  .command('nim-emulator')
  .description('serve a deterministic stand-in for NIM LLM, embedding and reranking containers (development and tests)')
  .option('--port <port>', 'port to listen on', '8000')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--warmup-ms <ms>', '/v1/health/ready answers 503 for this long after start', '0')
  .option('--latency-ms <ms>', 'delay before every inference response', '0')
  .option('--tokens-per-second <n>', 'streaming speed of chat completions', '200')
  .option('--dimension <n>', 'embedding size', '1024')
  .option('--nim-version <1|2>', 'NIM 1.x accepts nvext, 2.x rejects it', '2')
  .option(
    '--fault <json>',
    'inject a fault, for example \'{"kind":"http-error","endpoint":"chat","status":503}\' (repeatable)',
    collect,
    [],
  )
  .action(async (options: Record<string, string> & { fault: string[] }) => {
    const { NimEmulator } = await import('../inference/nimEmulator/NimEmulator.ts');
    const number = (name: string) => {
      const value = Number(options[name]);
      if (!Number.isFinite(value) || value < 0) {
        console.error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a non-negative number`);
        process.exit(2);
      }
      return value;
    };
    const emulator = new NimEmulator({
      warmupMs: number('warmupMs'),
      latencyMs: number('latencyMs'),
      tokensPerSecond: number('tokensPerSecond') || 200,
      embeddingDimension: number('dimension'),
      nimVersion: options.nimVersion === '1' ? 1 : 2,
    });
    try {
      emulator.injectFaults(options.fault.map((fault) => JSON.parse(fault)));
    } catch (error) {
      const { ZodError } = await import('zod');
      const message =
        error instanceof ZodError
          ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
          : error instanceof Error
            ? error.message
            : String(error);
      console.error(`--fault: ${message}`);
      process.exit(2);
    }
    const url = await emulator.listen(number('port'), options.host);
    console.log(`NIM emulator (deterministic, not a model) serving on ${url}`);
    const { llmModel, embeddingModel, rerankModel } = emulator.options;
    console.log(`  LLM_BASE_URL=${url} LLM_MODEL=${llmModel}`);
    console.log(`  EMBEDDINGS_BASE_URL=${url} EMBEDDINGS_MODEL=${embeddingModel}`);
    console.log(`  RERANKER_BASE_URL=${url} RERANKER_MODEL=${rerankModel}`);
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

await program.parseAsync(process.argv);
