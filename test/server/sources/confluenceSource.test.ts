import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { textPdf } from '../../support/officeFixtures.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { sealedCredentials } from '../../../server/sources/sourceRepository.ts';
import { ConfluenceStandIn, type StandInUser } from '../../support/confluenceStandIn.ts';
import { buildAssistant, buildCollection } from '../../support/factories.ts';
import { createGroup, createUser, principalOf } from '../../support/fixtures.ts';
import { syncAndIngest } from '../../support/sourceSync.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

const lead: StandInUser = { accountId: '5b10a2844c20165700ede21g', email: 'lead@example.com', username: 'lead', displayName: 'Lea Lead' };
const carol: StandInUser = { accountId: '5b10ac8d82e05b22cc7d4ef5', email: 'carol@example.com', username: 'carol', displayName: 'Carol' };
const hidden: StandInUser = { accountId: '6c22a0000000000000000001', username: 'hidden', displayName: 'Private Person' };

describe('a Confluence source', () => {
  let harness: TaskHarness;
  let cloud: ConfluenceStandIn;
  let sourceId: string;
  const people: Record<string, Principal> = {};

  before(async () => {
    cloud = await ConfluenceStandIn.start({
      deployment: 'cloud',
      acceptedAuthorization: `Basic ${Buffer.from('bot@example.com:atlassian-api-token').toString('base64')}`,
      pageSize: 2,
    });
    for (const user of [lead, carol, hidden]) cloud.users.set(user.accountId, user);
    cloud.spaces.set('HW', {
      id: '98306',
      name: 'Hardware',
      permissions: [
        { type: 'group', id: 'b1f0-confluence-users' },
        { type: 'user', id: carol.accountId },
        { type: 'role', id: 'anonymous-role' },
      ],
    });
    cloud.pages.set('100', {
      id: '100',
      space: 'HW',
      title: 'Tape-out',
      ancestors: [],
      version: 1,
      body: '<p>The tape-out of orion_top is planned for week 12 at the Hsinchu fab.</p>',
    });
    cloud.pages.set('101', {
      id: '101',
      space: 'HW',
      title: 'Signoff checklist',
      ancestors: ['100'],
      version: 3,
      body: '<h1>Timing</h1><p>The signoff checklist requires setup slack above 15 ps on the orion_core paths.</p>',
      restrictions: { users: [], groups: [{ id: 'a7c1-hw-leads', name: 'hw-leads' }] },
    });
    cloud.pages.set('102', {
      id: '102',
      space: 'HW',
      title: 'Respin budget',
      ancestors: ['100', '101'],
      version: 1,
      body: '<p>The respin budget for orion_top is four million dollars, approved by the board.</p>',
      restrictions: { users: [lead, hidden], groups: [{ id: 'a7c1-hw-leads', name: 'hw-leads' }] },
    });
    cloud.attachments.set('att9', {
      id: 'att9',
      pageId: '101',
      title: 'pll-characterisation.pdf',
      version: 1,
      mediaType: 'application/pdf',
      bytes: await textPdf('The pll_vco_band register selects band 3 above 2.4 GHz on orion_top.'),
    });
    cloud.rateLimitNext = 1;

    harness = await startTaskHarness({ CONNECTOR_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    const db = harness.services.db;
    const users = {
      lead: await createUser(db, 'lead@example.com'),
      carol: await createUser(db, 'carol@example.com'),
      dave: await createUser(db, 'dave@example.com'),
    };
    for (const [name, user] of Object.entries(users)) people[name] = principalOf(user);
    await createGroup(db, 'hw-leads', [users.lead]);
    // Provisioned by the IdP (SCIM), named at the source by its id only.
    const everyoneInConfluence = await createGroup(db, 'Confluence users', [users.lead, users.dave]);
    await db.query(`UPDATE groups SET external_id = 'b1f0-confluence-users', managed_by = 'scim' WHERE id = $1`, [everyoneInConfluence]);
    await buildCollection(harness.services, { slug: 'hw-wiki', grants: { everyone: 'read' } });
    await buildAssistant(harness.services, { slug: 'hw-helper', collections: ['hw-wiki'] });
  });
  after(async () => {
    await harness?.dispose();
    await cloud?.close();
  });

  const sources = (principal: Principal, question: string) =>
    harness.services.answerer
      .prepare(principal, { assistant: 'hw-helper', messages: [{ role: 'user', content: question }] })
      .then((prepared) => ('citations' in prepared ? prepared.citations.map((c) => c.title) : []));

  it('syncs the space: pages with their place in the tree, attachments, each with its readers; 429 waited out', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'confluence',
      collection: 'hw-wiki',
      name: 'hw-confluence',
      url: `${cloud.url}`,
      settings: { spaces: ['HW'], deployment: 'cloud' },
      credentials: { username: 'bot@example.com', token: 'atlassian-api-token' },
    });
    sourceId = source.id;
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual({ added: done.added, deleted: done.deleted, failed: done.failed }, { added: 4, deleted: 0, failed: 0 });
    assert.ok(
      cloud.requests.some((r) => r.status === 429),
      'the stand-in rate-limited once',
    );
    assert.ok(
      cloud.requests.filter((r) => r.path === '/wiki/rest/api/content/search').length >= 3,
      'pages were listed across several result pages',
    );
    const codes = done.errors.map((e) => e.code);
    assert.ok(codes.includes('reader_unmatched'), 'the role and the account without a visible email are reported');
    const { rows } = await harness.services.db.query<{ title: string; restricted: boolean; heading: string[] }>(
      `SELECT d.title, d.restricted, (SELECT c.heading_path FROM chunks c WHERE c.document_id = d.id ORDER BY c.ordinal LIMIT 1) AS heading
         FROM documents d WHERE d.source = 'source'`,
    );
    assert.deepEqual(
      rows.map((row) => [row.title, row.restricted]).sort(),
      [
        ['Respin budget', true],
        ['Signoff checklist', true],
        ['Tape-out', true],
        ['pll-characterisation', true],
      ],
      "a page without restrictions is limited to the space's viewers",
    );
    assert.deepEqual(rows.find((row) => row.title === 'Signoff checklist')!.heading, [
      'HW space',
      'Tape-out',
      'Signoff checklist',
      'Timing',
    ]);
  });

  it('answers each person from what Confluence lets them read', async () => {
    // lead: hw-leads and the space's group; carol: the space by name only; dave: the space's group only.
    assert.ok((await sources(people.lead!, 'What setup slack does the signoff checklist require?')).includes('Signoff checklist'));
    assert.ok((await sources(people.lead!, 'What is the respin budget for orion_top?')).includes('Respin budget'));
    assert.ok(!(await sources(people.dave!, 'What setup slack does the signoff checklist require?')).includes('Signoff checklist'));
    assert.ok(!(await sources(people.carol!, 'What is the respin budget for orion_top?')).includes('Respin budget'));
    assert.ok(!(await sources(people.dave!, 'Which pll_vco_band register band above 2.4 GHz?')).includes('pll-characterisation.pdf'));
    assert.ok((await sources(people.dave!, 'When is the tape-out of orion_top planned?')).includes('Tape-out'));
    assert.ok((await sources(people.carol!, 'When is the tape-out of orion_top planned?')).includes('Tape-out'));
    const anonymous: Principal = { userId: null, email: null, role: 'member' };
    assert.deepEqual(await sources(anonymous, 'When is the tape-out of orion_top planned?'), []);
  });

  it('a restriction added at the source stops answers after the next permission-only sync, which says so', async () => {
    cloud.pages.get('100')!.restrictions = { users: [carol], groups: [] };
    const before = cloud.requests.length;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId, 'permissions');
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.mode, 'permissions');
    // Restrictions are inherited: the page, both pages below it and the attachment are narrowed.
    assert.equal(done.readersChanged, 4);
    assert.deepEqual({ added: done.added, changed: done.changed, deleted: done.deleted }, { added: 0, changed: 0, deleted: 0 });
    assert.ok(!cloud.requests.slice(before).some((r) => /\/content\/\d+$|\/download\//.test(r.path)), 'no body or file is read');
    assert.ok(!(await sources(people.dave!, 'When is the tape-out of orion_top planned?')).includes('Tape-out'));
    assert.ok((await sources(people.carol!, 'When is the tape-out of orion_top planned?')).includes('Tape-out'));
  });

  it('a moved page gets its new place, a deleted page goes, an edited one comes by lastModified, on the next content sync', async () => {
    cloud.pages.get('102')!.ancestors = ['100'];
    cloud.pages.delete('101');
    cloud.attachments.delete('att9');
    Object.assign(cloud.pages.get('100')!, {
      version: 2,
      modified: new Date().toISOString().slice(0, 10),
      body: '<p>The tape-out of orion_top moved to week 14 at the Hsinchu fab.</p>',
    });
    const before = cloud.requests.length;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual({ changed: done.changed, deleted: done.deleted }, { changed: 2, deleted: 2 });
    const reads = cloud.requests.slice(before).map((r) => r.path);
    assert.ok(!reads.includes('/wiki/rest/api/content/100'), 'the edited page came with the lastModified query');
    assert.ok(reads.includes('/wiki/rest/api/content/102'), 'the moved page (same version) is read on its own');
    const { rows } = await harness.services.db.query<{ path: string }>(
      `SELECT origin->>'path' AS path FROM documents WHERE source = 'source' ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((row) => row.path),
      ['Tape-out', 'Tape-out / Respin budget'],
    );
  });

  it('a space the account cannot read fails the run and deletes nothing', async () => {
    await harness.services.syncedSources.update(systemActor, sourceId, { settings: { spaces: ['HW', 'GONE'], deployment: 'cloud' } });
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id).catch(() => undefined);
    const failed = done ?? (await harness.services.syncedSources.get(systemActor, sourceId)).runs[0]!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'space_not_found');
    const { rows } = await harness.services.db.query(`SELECT 1 FROM documents WHERE source = 'source'`);
    assert.equal(rows.length, 2);
  });

  it('OAuth 2.0 (3LO): a token that expires mid-sync is refreshed, and the rotated refresh token is kept', async () => {
    const oauth = await ConfluenceStandIn.start({ deployment: 'cloud', pageSize: 1 });
    try {
      oauth.spaces.set('OPS', { id: '5', name: 'Ops', permissions: [{ type: 'group', id: 'b1f0-confluence-users' }] });
      for (const id of ['1', '2', '3']) {
        oauth.pages.set(id, {
          id,
          space: 'OPS',
          title: `Runbook ${id}`,
          ancestors: [],
          version: 1,
          body: `<p>Runbook ${id} restarts the license server lmgrd.</p>`,
        });
      }
      oauth.expireAccessTokenAfter = 3;
      const { source, run } = await harness.services.syncedSources.create(systemActor, {
        kind: 'confluence',
        collection: 'hw-wiki',
        name: 'ops-confluence',
        url: oauth.url,
        settings: { spaces: ['OPS'], deployment: 'cloud', tokenUrl: `${oauth.url}/oauth/token`, attachments: false },
        credentials: { token: '', oauth: { clientId: 'tapeout-app', clientSecret: 'app-secret', refreshToken: 'refresh-0' } },
      });
      const sealedBefore = await sealedCredentials(harness.services.db, source.id);
      const done = await syncAndIngest(harness, run.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.added, 3);
      assert.ok(oauth.requests.filter((r) => r.path === '/oauth/token').length >= 2, 'refreshed after the 401');
      assert.ok(oauth.requests.some((r) => r.status === 401));
      assert.notDeepEqual(await sealedCredentials(harness.services.db, source.id), sealedBefore, 'the rotated refresh token is sealed');
      // The old refresh token no longer works; the next sync starts from the kept one.
      const again = await harness.services.syncedSources.requestSync(systemActor, source.id);
      assert.equal((await syncAndIngest(harness, again.run.id)).status, 'succeeded');
    } finally {
      await oauth.close();
    }
  });

  it('Data Center: a personal access token, offset pagination, users as username@userEmailDomain', async () => {
    const dc = await ConfluenceStandIn.start({ deployment: 'datacenter', acceptedAuthorization: 'Bearer dc-pat', pageSize: 1 });
    try {
      dc.pages.set('7', {
        id: '7',
        space: 'FAB',
        title: 'Mask costs',
        ancestors: [],
        version: 2,
        body: '<p>The mask set for the N5 shuttle costs 1.2 million.</p>',
        restrictions: { users: [carol], groups: [] },
      });
      dc.pages.set('8', {
        id: '8',
        space: 'FAB',
        title: 'Shuttle dates',
        ancestors: [],
        version: 1,
        body: '<p>The N5 shuttle closes on 14 March.</p>',
      });
      const { run } = await harness.services.syncedSources.create(systemActor, {
        kind: 'confluence',
        collection: 'hw-wiki',
        name: 'fab-dc',
        url: `${dc.url}/`,
        settings: { spaces: ['FAB'], deployment: 'datacenter', userEmailDomain: 'example.com' },
        credentials: { token: 'dc-pat' },
      });
      const done = await syncAndIngest(harness, run.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.added, 2);
      assert.ok(dc.requests.some((r) => r.path === '/rest/api/content/search'));
      assert.ok((await sources(people.carol!, 'How much does the N5 mask set cost?')).includes('Mask costs'));
      assert.ok(!(await sources(people.dave!, 'How much does the N5 mask set cost?')).includes('Mask costs'));
      assert.ok(
        (await sources(people.dave!, 'When does the N5 shuttle close?')).includes('Shuttle dates'),
        'space readers on DC: the collection',
      );
    } finally {
      await dc.close();
    }
  });
});
