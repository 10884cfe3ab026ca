import { systemActor } from '../access/systemActor.ts';
import { sampleRepositoriesDir, type Config } from '../config/index.ts';
import type { Database } from '../db/Database.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Logger } from '../logging/logger.ts';
import { getSetting, setSetting } from '../settings/InstanceSettings.ts';
import type { SyncedSources } from '../sources/SyncedSources.ts';
import { orionRtl } from './sampleRepository/orionRtl.ts';
import { writeSampleRepository } from './sampleRepository/writeSampleRepository.ts';

/** Set to pending by the demo's first seeding (seedDemoContent), so an install seeded before sources existed gets none. */
export const demoSourceKey = 'demo_source';
const demoCollection = 'chip-design';

/**
 * On first start, after the demo collections are seeded: the chip-design demo's Git repository, written and
 * committed under DATA_DIR, becomes a source of the chip-design collection and syncs at once,
 * then hourly like any source. Never throws: without a git binary the demo goes on without it
 * (and a later start, with git installed, adds it); an admin who deleted the collection gets none.
 */
export async function seedDemoSource(services: {
  db: Database;
  logger: Logger;
  syncedSources: Pick<SyncedSources, 'create'>;
  config: Pick<Config, 'dataDir'> & { sources: Pick<Config['sources'], 'searchPath'> };
}): Promise<void> {
  if ((await getSetting<{ state: string }>(services.db, demoSourceKey))?.state !== 'pending') return;
  try {
    const dir = await writeSampleRepository(orionRtl, sampleRepositoriesDir(services.config.dataDir), services.config.sources.searchPath);
    await services.syncedSources.create(systemActor, {
      kind: 'git',
      collection: demoCollection,
      name: orionRtl.name,
      url: `file://${dir}`,
      settings: { branch: orionRtl.branch },
    });
    services.logger.info({ source: orionRtl.name, collection: demoCollection }, 'seeded the demo Git repository as a source');
  } catch (error) {
    // Another instance added it at the same moment, or the collection is gone: nothing to do.
    if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) {
      services.logger.warn({ err: error }, 'the demo Git repository could not be added as a source (is git installed?)');
      return;
    }
  }
  await setSetting(services.db, demoSourceKey, { state: 'done', at: new Date().toISOString() });
}
