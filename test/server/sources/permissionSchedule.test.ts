import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../../server/access/systemActor.ts';
import { recentRuns } from '../../../server/sources/sourceRepository.ts';
import { ConfluenceStandIn } from '../../support/confluenceStandIn.ts';
import { buildCollection } from '../../support/factories.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

describe('permission-only syncs on their own schedule', () => {
  let harness: TaskHarness;
  let confluence: ConfluenceStandIn;

  before(async () => {
    confluence = await ConfluenceStandIn.start({ deployment: 'cloud', acceptedAuthorization: 'Bearer pat' });
    harness = await startTaskHarness({
      CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
      CONNECTOR_PERMISSION_SYNC_MINUTES: '10',
      SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    await buildCollection(harness.services, { slug: 'wiki', grants: { everyone: 'read' } });
  });
  after(async () => {
    await harness?.dispose();
    await confluence?.close();
  });

  it('queues one every CONNECTOR_PERMISSION_SYNC_MINUTES for kinds that read permissions, none for Git or web, none while paused', async () => {
    const { syncedSources } = harness.services;
    const { source } = await syncedSources.create(systemActor, {
      kind: 'confluence',
      collection: 'wiki',
      name: 'wiki',
      url: confluence.url,
      settings: { spaces: ['HW'], deployment: 'cloud' },
      schedule: null,
    });
    // The first content sync has ended; the source was added eleven minutes ago.
    await harness.services.db.query(`UPDATE source_runs SET status = 'succeeded' WHERE source_id = $1`, [source.id]);
    await harness.services.db.query(`UPDATE sources SET created_at = now() - interval '11 minutes' WHERE id = $1`, [source.id]);
    assert.equal(await syncedSources.queueDuePermissionSyncs(), 1);
    const [latest] = await recentRuns(harness.services.db, source.id, 1);
    assert.deepEqual(
      { mode: latest!.mode, trigger: latest!.trigger, status: latest!.status },
      { mode: 'permissions', trigger: 'schedule', status: 'queued' },
    );
    assert.equal(await syncedSources.queueDuePermissionSyncs(), 0, 'the next one is ten minutes away');

    await harness.services.db.query(
      `UPDATE sources SET next_permission_sync_at = now() - interval '1 second', paused = true WHERE id = $1`,
      [source.id],
    );
    assert.equal(await syncedSources.queueDuePermissionSyncs(), 0, 'a paused source waits');
  });

  it('refuses a permission-only sync of a kind without permissions', async () => {
    await assert.rejects(
      harness.services.syncedSources
        .create(systemActor, { kind: 'web', collection: 'wiki', name: 'site', url: `${confluence.url}/`, settings: {} })
        .then(({ source }) => harness.services.syncedSources.requestSync(systemActor, source.id, 'permissions')),
      { name: 'ValidationError', message: /has no permissions to sync/ },
    );
  });
});
