import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { systemActor } from '../../../server/access/systemActor.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { GraphStandIn } from '../../support/graphStandIn.ts';
import { buildAssistant, buildCollection } from '../../support/factories.ts';
import { createGroup, createUser, principalOf } from '../../support/fixtures.ts';
import { syncAndIngest } from '../../support/sourceSync.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

const designGroup = { group: { id: '4f1c2a9e-entra-design', displayName: 'Silicon Design' } };
const carolUser = { user: { id: 'aad-carol', displayName: 'Carol', email: 'carol@example.com' } };

describe('a SharePoint source', () => {
  let harness: TaskHarness;
  let graph: GraphStandIn;
  let sourceId: string;
  const people: Record<string, Principal> = {};

  before(async () => {
    graph = await GraphStandIn.start();
    graph.put({ id: 'folder-specs', name: 'Specs', parentId: 'root', folder: true, permissions: [] });
    graph.put({
      id: 'file-ddr',
      name: 'ddr-phy.md',
      parentId: 'folder-specs',
      bytes: Buffer.from('# DDR PHY\n\nThe DDR PHY of orion_top trains its read eye with 64 delay taps of 5 ps.\n'),
      permissions: [{ id: 'p1', roles: ['read'], grantedToV2: designGroup }],
    });
    graph.put({
      id: 'file-holidays',
      name: 'holidays.md',
      parentId: 'root',
      bytes: Buffer.from('# Lab holidays\n\nThe lab closes for the winter shutdown from 24 December to 2 January.\n'),
      permissions: [{ id: 'p2', roles: ['read'], link: { scope: 'organization', type: 'view' }, grantedToIdentitiesV2: [] }],
    });
    graph.put({
      id: 'file-offer',
      name: 'offer.md',
      parentId: 'root',
      bytes: Buffer.from('# Offer letter\n\nThe signing bonus for the analog lead is forty thousand euros.\n'),
      permissions: [
        { id: 'p3', roles: ['write'], grantedToV2: carolUser },
        { id: 'p4', roles: ['owner'], grantedToV2: { siteUser: { displayName: 'System Account', loginName: 'SHAREPOINT\\system' } } },
      ],
    });
    graph.throttleNext = 1;
    graph.tokenLifetimeRequests = 4;

    harness = await startTaskHarness({ CONNECTOR_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    const db = harness.services.db;
    const users = { ivan: await createUser(db, 'ivan@example.com'), carol: await createUser(db, 'carol@example.com') };
    for (const [name, user] of Object.entries(users)) people[name] = principalOf(user);
    const design = await createGroup(db, 'design (from Entra)', [users.ivan]);
    await db.query(`UPDATE groups SET external_id = '4f1c2a9e-entra-design', managed_by = 'scim' WHERE id = $1`, [design]);
    await buildCollection(harness.services, { slug: 'sharepoint', grants: { everyone: 'read' } });
    await buildAssistant(harness.services, { slug: 'sp-helper', collections: ['sharepoint'] });
  });
  after(async () => {
    await harness?.dispose();
    await graph?.close();
  });

  const sources = (principal: Principal, question: string) =>
    harness.services.answerer
      .prepare(principal, { assistant: 'sp-helper', messages: [{ role: 'user', content: question }] })
      .then((prepared) => ('citations' in prepared ? prepared.citations.map((c) => c.title) : []));

  const settings = () => ({ graphUrl: `${graph.url}/v1.0`, tokenUrl: `${graph.url}/{tenant}/oauth2/v2.0/token` });

  it('walks the library by delta with an app-only token (renewed when it expires mid-sync, 429 waited out), each file with its permissions', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'sharepoint',
      collection: 'sharepoint',
      name: 'hardware-site',
      url: `${graph.url}/sites/Hardware`,
      settings: settings(),
      credentials: { token: '', oauth: { tenantId: 'contoso-tenant', clientId: 'tapeout-app', clientSecret: graph.clientSecret } },
    });
    sourceId = source.id;
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.added, 3);
    assert.ok(graph.requests.some((r) => r.status === 429));
    assert.ok(graph.tokenRequests.length >= 2, 'a second token after the first expired');
    assert.ok(graph.requests.filter((r) => r.path === '/v1.0/drives/drive-1/root/delta').length >= 2, 'delta pages followed');
    assert.ok(
      graph.requests.filter((r) => r.path.startsWith('/download/')).every((r) => r.authorization === undefined),
      'the pre-authorised download URL gets no token',
    );
    const { rows } = await harness.services.db.query<{ path: string }>(
      `SELECT origin->>'path' AS path FROM documents WHERE source = 'source' ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((row) => row.path),
      ['Documents/Specs/ddr-phy.md', 'Documents/holidays.md', 'Documents/offer.md'],
    );
    assert.ok(done.errors.some((e) => e.code === 'reader_unmatched' && /System Account/.test(e.message)));
  });

  it("answers from a file only those it is shared with: an Entra group by its id, a user by email, the organisation's link", async () => {
    assert.ok((await sources(people.ivan!, 'How many delay taps does the DDR PHY use?')).includes('DDR PHY'));
    assert.ok(!(await sources(people.carol!, 'How many delay taps does the DDR PHY use?')).includes('DDR PHY'));
    assert.ok((await sources(people.carol!, 'What is the signing bonus for the analog lead?')).includes('Offer letter'));
    assert.ok(!(await sources(people.ivan!, 'What is the signing bonus for the analog lead?')).includes('Offer letter'));
    assert.ok((await sources(people.ivan!, 'When does the lab close for the winter shutdown?')).includes('Lab holidays'));
  });

  it('sharing taken away stops answers after the next permission-only sync, which reads no file', async () => {
    graph.share('file-ddr', []);
    const before = graph.requests.length;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId, 'permissions');
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.readersChanged, 1);
    assert.ok(!graph.requests.slice(before).some((r) => r.path.endsWith('/content')));
    assert.ok(!(await sources(people.ivan!, 'How many delay taps does the DDR PHY use?')).includes('DDR PHY'));
  });

  it('a later sync asks only for changes since its deltaLink: a changed file is stored again, a deleted one goes', async () => {
    graph.put({
      id: 'file-holidays',
      name: 'holidays.md',
      parentId: 'root',
      bytes: Buffer.from('# Lab holidays\n\nThe lab closes for the winter shutdown from 23 December to 3 January.\n'),
      permissions: [{ id: 'p2', roles: ['read'], link: { scope: 'organization', type: 'view' } }],
    });
    graph.remove('file-offer');
    const before = graph.requests.length;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.deepEqual(
      { status: done.status, changed: done.changed, deleted: done.deleted },
      { status: 'succeeded', changed: 1, deleted: 1 },
    );
    const deltas = graph.requests.slice(before).filter((r) => r.path === '/v1.0/drives/drive-1/root/delta');
    assert.equal(deltas.length, 1, 'one page of changes');
    assert.equal(
      graph.requests.slice(before).filter((r) => r.path.endsWith('/permissions')).length,
      1,
      'permissions of the changed file only',
    );
  });

  it('a certificate instead of a secret: the client assertion names the certificate by its thumbprint', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tapeout-cert-'));
    try {
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=tapeout-app',
            '-keyout',
            path.join(dir, 'key.pem'),
            '-out',
            path.join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
      } catch {
        t.skip('openssl is not installed to make a certificate');
        return;
      }
      await harness.services.syncedSources.update(systemActor, sourceId, {
        credentials: {
          token: '',
          oauth: {
            tenantId: 'contoso-tenant',
            clientId: 'tapeout-app',
            certificatePem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
            privateKeyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
          },
        },
      });
      const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
      assert.equal((await syncAndIngest(harness, run.id)).status, 'succeeded');
      const assertion = graph.tokenRequests.at(-1)!.get('client_assertion')!;
      assert.equal(decodeProtectedHeader(assertion).alg, 'RS256');
      assert.ok(decodeProtectedHeader(assertion).x5t);
      assert.deepEqual(
        [decodeJwt(assertion).iss, decodeJwt(assertion).sub, decodeJwt(assertion).aud],
        ['tapeout-app', 'tapeout-app', `${graph.url}/contoso-tenant/oauth2/v2.0/token`],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
