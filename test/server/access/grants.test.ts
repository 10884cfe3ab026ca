import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { CollectionService } from '../../../server/collections/CollectionService.ts';
import type { Database } from '../../../server/db/Database.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { ChunkReader } from '../../../server/retrieval/ChunkReader.ts';
import { createGroup, createUser, insertDocument, principalOf } from '../../support/fixtures.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

describe('access control inside SQL', () => {
  let db: Database;
  let reader: ChunkReader;
  let admin: Principal;
  let designer: Principal;
  let outsider: Principal;
  const anonymous: Principal = { userId: null, email: null, role: 'member' };
  const embedder = new HashingEmbedder();
  const ids: Record<string, string> = {};

  before(async () => {
    db = await openTestDatabase();
    reader = new ChunkReader(db);
    const collections = new CollectionService(db);
    const adminUser = await createUser(db, 'root@example.com', 'admin');
    const designerUser = await createUser(db, 'designer@example.com');
    const outsiderUser = await createUser(db, 'sales@example.com');
    [admin, designer, outsider] = [adminUser, designerUser, outsiderUser].map(principalOf) as [Principal, Principal, Principal];
    await createGroup(db, 'soc-team', [designerUser]);

    const make = async (slug: string, grantTo: string | undefined, text: string) => {
      const collection = await collections.create(systemActor, {
        slug,
        name: slug,
        embeddingModel: embedder.model,
        embeddingDimension: await embedder.dimension(),
      });
      if (grantTo) await collections.grantToGroup(systemActor, collection.id, grantTo);
      ids[slug] = collection.id;
      await insertDocument(db, collection.id, {
        title: slug,
        texts: [text],
        embeddings: await embedder.embedPassages([text]),
        model: embedder.model,
      });
    };
    await make('public-handbook', 'everyone', 'The clk_div_en enable gates the peripheral divider.');
    await make('soc-secrets', 'soc-team', 'The clk_div_en enable of the unreleased Orion-2 runs at 3.2 GHz.');
    await make('admin-only', undefined, 'The clk_div_en enable in the acquisition target design.');
  });
  after(() => db?.close());

  const collectionsSeenBy = async (principal: Principal, search: 'fullText' | 'nearest') => {
    const hits =
      search === 'fullText'
        ? await reader.fullText(principal, 'clk_div_en enable')
        : await reader.nearest(principal, await embedder.embedQuery('clk_div_en enable'), embedder.model);
    const slugById = Object.fromEntries(Object.entries(ids).map(([slug, id]) => [id, slug]));
    return hits.map((hit) => slugById[hit.collectionId]).sort();
  };

  for (const search of ['fullText', 'nearest'] as const) {
    it(`${search}: a member sees collections granted to everyone and to their groups`, async () => {
      assert.deepEqual(await collectionsSeenBy(designer, search), ['public-handbook', 'soc-secrets']);
    });

    it(`${search}: a member outside the group sees only what everyone sees`, async () => {
      assert.deepEqual(await collectionsSeenBy(outsider, search), ['public-handbook']);
    });

    it(`${search}: a collection with no grants is visible to admins only`, async () => {
      assert.deepEqual(await collectionsSeenBy(admin, search), ['admin-only', 'public-handbook', 'soc-secrets']);
    });

    it(`${search}: an anonymous principal sees only collections granted to everyone`, async () => {
      assert.deepEqual(await collectionsSeenBy(anonymous, search), ['public-handbook']);
    });
  }

  it('ignores a role claimed by the caller: visibility comes from the users table', async () => {
    const claimsAdmin: Principal = { ...outsider, role: 'admin' };
    assert.deepEqual(await collectionsSeenBy(claimsAdmin, 'fullText'), ['public-handbook']);
  });

  it('a collection filter cannot widen what the principal may read', async () => {
    const hits = await reader.fullText(outsider, 'clk_div_en', { collectionIds: [ids['soc-secrets']!] });
    assert.equal(hits.length, 0);
  });

  it('every user is in the built-in everyone group and cannot leave it', async () => {
    const { rows } = await db.query<{ count: string }>(
      `SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = 'everyone'`,
    );
    assert.equal(rows[0]!.count, '3');
    await assert.rejects(
      db.query(`DELETE FROM memberships WHERE user_id = $1 AND group_id = (SELECT id FROM groups WHERE name = 'everyone')`, [
        outsider.userId,
      ]),
      /cannot leave the built-in everyone group/,
    );
  });

  it('reads only chunks of the current document version', async () => {
    const text = 'Legacy note: set_multicycle_path 3 on the divider.';
    await insertDocument(db, ids['public-handbook']!, {
      title: 'superseded',
      texts: [text],
      embeddings: await embedder.embedPassages([text]),
      model: embedder.model,
      version: 2,
      chunkVersion: 1,
    });
    assert.equal((await reader.fullText(admin, 'set_multicycle_path')).length, 0);
  });
});
