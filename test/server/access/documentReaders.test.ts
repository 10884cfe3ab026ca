import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { CollectionService } from '../../../server/collections/CollectionService.ts';
import { listDocuments } from '../../../server/corpus/documentRepository.ts';
import { readersOf, replaceReaders } from '../../../server/corpus/documentReaders.ts';
import type { Database } from '../../../server/db/Database.ts';
import { SourceService } from '../../../server/documents/SourceService.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { ChunkReader } from '../../../server/retrieval/ChunkReader.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { createGroup, createUser, insertDocument, principalOf } from '../../support/fixtures.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

describe('documents with readers of their own', () => {
  let db: Database;
  let chunks: ChunkReader;
  let viewer: SourceService;
  const embedder = new HashingEmbedder();
  const people: Record<string, Principal> = {};
  const groups: Record<string, string> = {};
  const documents: Record<string, string> = {};
  const anonymous: Principal = { userId: null, email: null, role: 'member' };

  const add = async (collectionId: string, title: string, text: string) => {
    documents[title] = await insertDocument(db, collectionId, {
      title,
      texts: [text],
      embeddings: await embedder.embedPassages([text]),
      model: embedder.model,
    });
  };

  before(async () => {
    db = await openTestDatabase();
    chunks = new ChunkReader(db);
    viewer = new SourceService(db);
    const collections = new CollectionService(db);
    const users = Object.fromEntries(
      await Promise.all(
        ['admin@example.com', 'lead@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com'].map(
          async (email) => [email.split('@')[0]!, await createUser(db, email, email.startsWith('admin') ? 'admin' : 'member')] as const,
        ),
      ),
    );
    for (const [name, user] of Object.entries(users)) people[name] = principalOf(user);
    groups.leads = await createGroup(db, 'HW-Leads', [users.lead!, users.carol!]);
    // A group the IdP provisioned (SCIM): a source names it by the IdP's id, not by its name.
    groups.scim = await createGroup(db, 'Silicon Validation', [users.erin!]);
    await db.query(`UPDATE groups SET external_id = '0b6a-entra-object-id', managed_by = 'scim' WHERE id = $1`, [groups.scim]);
    groups.mixed = await createGroup(db, 'channel-audience', [users.lead!, users.dave!]);
    groups.empty = await createGroup(db, 'nobody-yet', []);

    const wiki = await collections.create(systemActor, {
      slug: 'wiki',
      name: 'Wiki',
      embeddingModel: embedder.model,
      embeddingDimension: await embedder.dimension(),
    });
    await collections.grantToGroup(systemActor, wiki.id, 'everyone');
    await add(wiki.id, 'open page', 'The tapeout review of orion happens every Thursday at the fab sync.');
    await add(wiki.id, 'leads page', 'The tapeout review of orion decided the respin budget of four million.');
    await add(wiki.id, 'validation page', 'The tapeout review of orion found the silicon errata of the PLL.');
    await add(wiki.id, 'everyone page', 'The tapeout review of orion is open to all engineers in the space.');
    await replaceReaders(db, documents['leads page']!, [{ kind: 'group', name: 'hw-leads' }]);
    await replaceReaders(db, documents['validation page']!, [
      { kind: 'group', id: '0b6a-entra-object-id', name: 'SG-Validation' },
      { kind: 'user', email: 'Dave@Example.com' },
    ]);
    await replaceReaders(db, documents['everyone page']!, [{ kind: 'everyone' }]);
  });
  after(() => db?.close());

  const titleOf = (documentId: string) => Object.entries(documents).find(([, id]) => id === documentId)?.[0];
  const seen = async (principal: Principal, search: 'fullText' | 'nearest') => {
    const hits =
      search === 'fullText'
        ? await chunks.fullText(principal, 'tapeout review orion')
        : await chunks.nearest(principal, await embedder.embedQuery('tapeout review orion'), embedder.model);
    return hits.map((hit) => titleOf(hit.documentId)).sort();
  };

  for (const search of ['fullText', 'nearest'] as const) {
    it(`${search}: a member of a group the source names by name reads its page`, async () => {
      assert.deepEqual(await seen(people.lead!, search), ['everyone page', 'leads page', 'open page']);
    });

    it(`${search}: a group named by the IdP's id and a user by email (any case) read theirs`, async () => {
      assert.deepEqual(await seen(people.erin!, search), ['everyone page', 'open page', 'validation page']);
      assert.deepEqual(await seen(people.dave!, search), ['everyone page', 'open page', 'validation page']);
    });

    it(`${search}: an admin outside a page's readers does not read it, whatever the role`, async () => {
      assert.deepEqual(await seen(people.admin!, search), ['everyone page', 'open page']);
    });

    it(`${search}: someone signed out or unmapped reads only unrestricted pages`, async () => {
      assert.deepEqual(await seen(anonymous, search), ['everyone page', 'open page']);
    });

    it(`${search}: an audience reads a restricted page only when every member may`, async () => {
      const audience = (group: string): Principal => ({ ...anonymous, audienceGroupId: groups[group]! });
      assert.deepEqual(await seen(audience('leads'), search), ['everyone page', 'leads page', 'open page']);
      // lead may read the leads page, dave may not: the channel reads neither restricted page.
      assert.deepEqual(await seen(audience('mixed'), search), ['everyone page', 'open page']);
      // An empty group is everyone's by no member: it is not taken as reading everything.
      assert.deepEqual(await seen(audience('empty'), search), ['everyone page', 'open page']);
    });
  }

  it('a deactivated user is among no readers', async () => {
    await db.query(`UPDATE users SET active = false WHERE email = 'dave@example.com'`);
    try {
      assert.deepEqual(await seen(people.dave!, 'fullText'), []);
    } finally {
      await db.query(`UPDATE users SET active = true WHERE email = 'dave@example.com'`);
    }
  });

  it('the source viewer and the download answer "not found" outside the readers', async () => {
    const [hit] = (await chunks.fullText(people.lead!, 'respin budget')).filter((h) => h.documentId === documents['leads page']);
    assert.ok(hit, 'the leads page is found by a lead');
    assert.equal((await viewer.passage(people.lead!, hit.id)).document.title, 'leads page');
    await assert.rejects(viewer.passage(people.dave!, hit.id), { name: 'NotFoundError' });
    await assert.rejects(viewer.passage(people.admin!, hit.id), { name: 'NotFoundError' });
    await assert.rejects(viewer.originalFile(people.dave!, documents['leads page']!), { name: 'NotFoundError' });
  });

  it("a collection's document list hides restricted titles from non-readers; admins see them, marked", async () => {
    const collectionId = (await db.query<{ id: string }>(`SELECT id FROM collections WHERE slug = 'wiki'`)).rows[0]!.id;
    const titles = async (principal: Principal, everyTitle: boolean) =>
      (await listDocuments(db, collectionId, { userId: principal.userId, everyTitle }))
        .map((d) => `${d.title}${d.restricted ? ' (restricted)' : ''}`)
        .sort();
    assert.deepEqual(await titles(people.dave!, false), ['everyone page', 'open page', 'validation page (restricted)']);
    assert.deepEqual(await titles(people.admin!, true), [
      'everyone page',
      'leads page (restricted)',
      'open page',
      'validation page (restricted)',
    ]);
  });

  it("readers are listed with the Tapeout group a source's group matched", async () => {
    const readers = await readersOf(db, [documents['validation page']!, documents['leads page']!]);
    assert.deepEqual(readers.get(documents['validation page']!), [
      { kind: 'group', key: '0b6a-entra-object-id', name: 'SG-Validation', matchedGroup: 'Silicon Validation' },
      { kind: 'user', key: 'dave@example.com', name: '', matchedGroup: null },
    ]);
    assert.deepEqual(readers.get(documents['leads page']!), [
      { kind: 'group', key: 'hw-leads', name: 'hw-leads', matchedGroup: 'HW-Leads' },
    ]);
  });

  it('readers that change are reported once; removing them opens the page to the collection again', async () => {
    const id = documents['leads page']!;
    assert.equal(await replaceReaders(db, id, [{ kind: 'group', name: 'HW-LEADS' }]), false, 'the same group, differently cased');
    assert.equal(await replaceReaders(db, id, [{ kind: 'user', email: 'dave@example.com' }]), true);
    assert.deepEqual(await seen(people.lead!, 'fullText'), ['everyone page', 'open page']);
    assert.equal(await replaceReaders(db, id, undefined), true);
    assert.deepEqual(await seen(people.dave!, 'fullText'), ['everyone page', 'leads page', 'open page', 'validation page']);
    await replaceReaders(db, id, [{ kind: 'group', name: 'hw-leads' }]);
  });

  it('an empty reader list lets nobody read the page', async () => {
    const id = documents['everyone page']!;
    await replaceReaders(db, id, []);
    try {
      assert.deepEqual(await seen(people.admin!, 'fullText'), ['open page']);
    } finally {
      await replaceReaders(db, id, [{ kind: 'everyone' }]);
    }
  });
});
