import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../../server/access/systemActor.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { JiraStandIn, type JiraStandInUser } from '../../support/jiraStandIn.ts';
import { buildAssistant, buildCollection } from '../../support/factories.ts';
import { createGroup, createUser, principalOf } from '../../support/fixtures.ts';
import { syncAndIngest } from '../../support/sourceSync.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

const erin: JiraStandInUser = { accountId: '712020:erin', name: 'erin', emailAddress: 'erin@example.com', displayName: 'Erin' };
const frank: JiraStandInUser = { accountId: '712020:frank', name: 'frank', displayName: 'Frank' };

describe('a Jira source', () => {
  let harness: TaskHarness;
  let jira: JiraStandIn;
  let sourceId: string;
  const people: Record<string, Principal> = {};

  before(async () => {
    jira = await JiraStandIn.start({
      deployment: 'cloud',
      acceptedAuthorization: `Basic ${Buffer.from('bot@example.com:jira-token').toString('base64')}`,
      pageSize: 2,
    });
    jira.users.push(erin, frank);
    jira.browse.set('ORION', [
      { type: 'group', parameter: 'silicon-eng', value: 'c0ffee-silicon-eng' },
      { type: 'projectRole', parameter: '10002' },
    ]);
    jira.roles.set('10002', [
      { type: 'atlassian-user-role-actor', name: 'erin', actorUser: { accountId: erin.accountId } },
      { type: 'atlassian-user-role-actor', name: 'frank', actorUser: { accountId: frank.accountId } },
    ]);
    jira.levels.set('10100', [{ type: 'group', parameter: 'security-team', value: 'beef-security' }, { type: 'reporter' }]);
    jira.issues.set('ORION-1', {
      key: 'ORION-1',
      project: 'ORION',
      summary: 'PLL loses lock at cold corner',
      status: 'In Progress',
      updated: '2026-12-01T10:00:00.000+0000',
      description: '<p>The PLL in orion_top loses lock at -40C; the lock detector trips after 64 cycles.</p>',
      reporter: frank,
      comments: [
        {
          id: '1',
          author: erin,
          created: '2026-12-02T08:00:00.000+0000',
          body: '<p>Raising the charge pump current to 40 uA fixes the cold lock loss.</p>',
        },
      ],
      custom: { customfield_10010: { name: 'Tape-out milestone', value: { value: 'B0 respin' } } },
    });
    jira.issues.set('ORION-2', {
      key: 'ORION-2',
      project: 'ORION',
      summary: 'Debug port left open in production fuses',
      status: 'Open',
      updated: '2026-12-01T11:00:00.000+0000',
      description: '<p>The JTAG debug port stays unlocked when fuse word 7 is blank; the exploit needs physical access.</p>',
      reporter: erin,
      security: { id: '10100', name: 'Security embargo' },
      comments: [],
    });
    jira.issues.set('ORION-3', {
      key: 'ORION-3',
      project: 'ORION',
      summary: 'Update the SDC for the new UART clock',
      status: 'Done',
      updated: '2026-12-01T12:00:00.000+0000',
      description: '<p>The uart_clk constraint moves to 48 MHz in orion_top.sdc.</p>',
      comments: [],
    });
    jira.rateLimitNext = 1;
    jira.unavailableNext = 0;

    harness = await startTaskHarness({ CONNECTOR_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    const db = harness.services.db;
    const users = {
      erin: await createUser(db, 'erin@example.com'),
      grace: await createUser(db, 'grace@example.com'),
      heidi: await createUser(db, 'heidi@example.com'),
    };
    for (const [name, user] of Object.entries(users)) people[name] = principalOf(user);
    await createGroup(db, 'silicon-eng', [users.grace]);
    await createGroup(db, 'security-team', [users.heidi]);
    await buildCollection(harness.services, { slug: 'tickets', grants: { everyone: 'read' } });
    await buildAssistant(harness.services, { slug: 'ticket-helper', collections: ['tickets'] });
  });
  after(async () => {
    await harness?.dispose();
    await jira?.close();
  });

  const sources = (principal: Principal, question: string) =>
    harness.services.answerer
      .prepare(principal, { assistant: 'ticket-helper', messages: [{ role: 'user', content: question }] })
      .then((prepared) => ('citations' in prepared ? prepared.citations.map((c) => c.title) : []));

  it('syncs the project: each issue with its fields and comments, 429 waited out, token pagination followed', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'jira',
      collection: 'tickets',
      name: 'orion-jira',
      url: jira.url,
      settings: { projects: ['ORION'], deployment: 'cloud', fields: ['Tape-out milestone'] },
      credentials: { username: 'bot@example.com', token: 'jira-token' },
    });
    sourceId = source.id;
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.added, 3);
    assert.ok(jira.requests.some((r) => r.status === 429));
    assert.equal(jira.requests.filter((r) => r.path === '/rest/api/3/search/jql' && r.status === 200).length, 2, 'two result pages');
    const { rows } = await harness.services.db.query<{ text: string }>(
      `SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.title LIKE 'ORION-1%'`,
    );
    const text = rows.map((row) => row.text).join('\n');
    assert.match(text, /charge pump current to 40 uA/);
    assert.match(text, /B0 respin/, 'a chosen custom field, by its name');
    assert.ok(
      done.errors.some((e) => e.code === 'reader_unmatched' && /frank/i.test(e.message)),
      'a role member without a visible email is reported',
    );
  });

  it("answers from an issue only those Jira lets browse it; a security level narrows it to the level's members", async () => {
    const pll = 'What fixes the PLL cold lock loss in orion_top?';
    assert.ok(
      (await sources(people.grace!, pll)).some((t) => t.startsWith('ORION-1')),
      'a member of the project group',
    );
    assert.ok(
      (await sources(people.erin!, pll)).some((t) => t.startsWith('ORION-1')),
      'a user of the project role',
    );
    assert.ok(!(await sources(people.heidi!, pll)).some((t) => t.startsWith('ORION-1')));
    const debug = 'Is the JTAG debug port unlocked when fuse word 7 is blank?';
    assert.ok(
      (await sources(people.heidi!, debug)).some((t) => t.startsWith('ORION-2')),
      'the security team',
    );
    assert.ok(
      (await sources(people.erin!, debug)).some((t) => t.startsWith('ORION-2')),
      'the reporter',
    );
    assert.ok(!(await sources(people.grace!, debug)).some((t) => t.startsWith('ORION-2')), 'a project member outside the level');
  });

  it('a user taken out of the project role stops reading after the next permission-only sync; 5xx answers are retried', async () => {
    jira.roles.set('10002', []);
    jira.unavailableNext = 2;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId, 'permissions');
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.readersChanged, 2, 'ORION-1 and ORION-3 lose erin; ORION-2 keeps its level');
    assert.ok(!(await sources(people.erin!, 'What fixes the PLL cold lock loss in orion_top?')).some((t) => t.startsWith('ORION-1')));
    assert.ok(
      (await sources(people.erin!, 'Is the JTAG debug port unlocked when fuse word 7 is blank?')).some((t) => t.startsWith('ORION-2')),
    );
  });

  it('an updated issue is read again; a deleted one goes', async () => {
    jira.issues.get('ORION-3')!.description = '<p>The uart_clk constraint moves to 96 MHz in orion_top.sdc.</p>';
    jira.issues.get('ORION-3')!.updated = '2026-12-03T09:00:00.000+0000';
    jira.issues.delete('ORION-1');
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.deepEqual(
      { status: done.status, changed: done.changed, deleted: done.deleted },
      { status: 'succeeded', changed: 1, deleted: 1 },
    );
  });

  it('Data Center: offset pagination and users by username with their email', async () => {
    const dc = await JiraStandIn.start({ deployment: 'datacenter', acceptedAuthorization: 'Bearer jira-pat', pageSize: 1 });
    try {
      dc.users.push(erin);
      dc.browse.set('FAB', [{ type: 'user', parameter: 'erin' }]);
      for (const n of [1, 2, 3]) {
        dc.issues.set(`FAB-${n}`, {
          key: `FAB-${n}`,
          project: 'FAB',
          summary: `Wafer lot ${n} hold`,
          status: 'Open',
          updated: '2026-12-01T10:00:00.000+0000',
          description: `<p>Wafer lot ${n} is on hold for the metal 3 defect review.</p>`,
          comments: [],
        });
      }
      const { run } = await harness.services.syncedSources.create(systemActor, {
        kind: 'jira',
        collection: 'tickets',
        name: 'fab-jira',
        url: dc.url,
        settings: { projects: ['FAB'], deployment: 'datacenter' },
        credentials: { token: 'jira-pat' },
      });
      const done = await syncAndIngest(harness, run.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.added, 3);
      assert.equal(dc.requests.filter((r) => r.path === '/rest/api/2/search').length, 3);
      assert.ok((await sources(people.erin!, 'Why is the wafer lot on hold?')).some((t) => t.startsWith('FAB-')));
      assert.ok(!(await sources(people.grace!, 'Why is the wafer lot on hold?')).some((t) => t.startsWith('FAB-')));
    } finally {
      await dc.close();
    }
  });
});
