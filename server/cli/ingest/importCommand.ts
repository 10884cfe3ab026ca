import { Presets, SingleBar } from 'cli-progress';
import { importJsonl } from '../../../ingestion/intake/importJsonl.ts';
import { registerTasks } from '../../registerTasks.ts';
import type { Config } from '../../config/index.ts';
import { DataDirInUseError } from '../../db/EmbeddedPostgres.ts';
import type { Logger } from '../../logging/logger.ts';
import { closeServices, createServices } from '../../services.ts';
import { DirectIngestor } from './DirectIngestor.ts';
import { CliError } from '../CliError.ts';
import { waitForJob } from './ingestCommand.ts';

/** `tapeout import`: a BEIR/JSONL corpus into a collection, directly against the database. */
export async function importCommand(file: string, collection: string, config: Config, logger: Logger): Promise<number> {
  const services = await createServices(config, logger).catch((error: unknown) => {
    if (error instanceof DataDirInUseError)
      throw new CliError('A running server holds the embedded database; stop it to import, or set DATABASE_URL to share a Postgres.');
    throw error;
  });
  try {
    registerTasks(services);
    await services.queue.startWorker();
    const summary = await importJsonl(services, collection, file);
    const ingestor = new DirectIngestor(services);
    const bar = process.stdout.isTTY
      ? new SingleBar({ format: '{bar} {value}/{total} documents | ETA {eta_formatted}' }, Presets.shades_classic)
      : undefined;
    bar?.start(summary.jobIds.length, 0);
    let failed = 0;
    for (const jobId of summary.jobIds) {
      if ((await waitForJob(ingestor, jobId)).state === 'failed') failed += 1;
      bar?.increment();
    }
    bar?.stop();
    console.log(
      `Imported into "${collection}": added ${summary.added}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${failed}, invalid lines ${summary.invalid.length}.`,
    );
    for (const invalid of summary.invalid.slice(0, 20)) console.log(`  line ${invalid.line}: ${invalid.message}`);
    return failed || summary.invalid.length ? 1 : 0;
  } finally {
    await closeServices(services);
  }
}
