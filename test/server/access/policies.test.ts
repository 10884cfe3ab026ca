import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requireAdmin } from '../../../server/access/policies.ts';
import { AssistantService } from '../../../server/assistants/AssistantService.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { CollectionService } from '../../../server/collections/CollectionService.ts';
import type { Database } from '../../../server/db/Database.ts';
import { ForbiddenError, NotFoundError } from '../../../server/errors.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { createGroup, createUser, principalOf } from '../../support/fixtures.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

type Outcome = 'allowed' | 'forbidden (403)' | 'not found (404)';

/** What an attempt came to: allowed, or the refusal it was answered with. */
async function outcomeOf(attempt: () => unknown): Promise<Outcome> {
  try {
    await attempt();
    return 'allowed';
  } catch (error) {
    if (error instanceof ForbiddenError) return 'forbidden (403)';
    if (error instanceof NotFoundError) return 'not found (404)';
    throw error;
  }
}

/**
 * The access table, principal × action, run through the decisions of server/access/ and the
 * services that use them, on the real schema (PGlite): a handbook granted to `everyone` to read
 * and to the `editors` group to edit, and a collection granted to nobody.
 */
describe('who may do what (server/access/)', () => {
  let db: Database;
  let collections: CollectionService;
  let assistants: AssistantService;
  const principals: Record<'admin' | 'editor' | 'member' | 'anonymous', Principal> = {
    admin: { userId: null, email: null, role: 'admin' },
    editor: { userId: null, email: null, role: 'member' },
    member: { userId: null, email: null, role: 'member' },
    anonymous: { userId: null, email: null, role: 'member' },
  };

  before(async () => {
    db = await openTestDatabase();
    collections = new CollectionService(db);
    assistants = new AssistantService(db);
    const [admin, editor, member] = [
      await createUser(db, 'admin@example.com', 'admin'),
      await createUser(db, 'editor@example.com'),
      await createUser(db, 'member@example.com'),
    ];
    Object.assign(principals, { admin: principalOf(admin!), editor: principalOf(editor!), member: principalOf(member!) });
    await createGroup(db, 'editors', [editor!]);
    const embedder = new HashingEmbedder();
    const model = { embeddingModel: embedder.model, embeddingDimension: await embedder.dimension() };
    const handbook = await collections.create(systemActor, { slug: 'handbook', name: 'Handbook', ...model });
    await collections.grantToGroup(systemActor, handbook.id, 'everyone', 'read');
    await collections.grantToGroup(systemActor, handbook.id, 'editors', 'edit');
    await collections.create(systemActor, { slug: 'board', name: 'Board', ...model });
    await assistants.create(systemActor, {
      slug: 'helper',
      name: 'Helper',
      systemPrompt: 'Answer from the handbook.',
      collectionIds: [handbook.id],
    });
  });
  after(() => db?.close());

  const table: [action: string, attempt: (principal: Principal) => unknown, expected: Record<keyof typeof principals, Outcome>][] = [
    [
      'administer',
      (p) => requireAdmin(p),
      { admin: 'allowed', editor: 'forbidden (403)', member: 'forbidden (403)', anonymous: 'forbidden (403)' },
    ],
    [
      'edit the handbook',
      (p) => collections.findEditable(p, 'handbook'),
      { admin: 'allowed', editor: 'allowed', member: 'forbidden (403)', anonymous: 'forbidden (403)' },
    ],
    [
      'edit an ungranted collection',
      (p) => collections.findEditable(p, 'board'),
      { admin: 'allowed', editor: 'not found (404)', member: 'not found (404)', anonymous: 'not found (404)' },
    ],
    [
      "see the assistant's system prompt",
      async (p) => {
        if ((await assistants.list(p))[0]?.systemPrompt == null) throw new ForbiddenError('hidden');
      },
      { admin: 'allowed', editor: 'allowed', member: 'forbidden (403)', anonymous: 'forbidden (403)' },
    ],
  ];

  for (const [action, attempt, expected] of table) {
    it(`${action}: ${Object.entries(expected)
      .map(([who, outcome]) => `${who} ${outcome}`)
      .join(', ')}`, async () => {
      const outcomes = Object.fromEntries(
        await Promise.all(Object.entries(principals).map(async ([who, p]) => [who, await outcomeOf(() => attempt(p))])),
      );
      assert.deepEqual(outcomes, expected);
    });
  }

  it('reads the role from the users table, not from what the caller claims', async () => {
    const claimsAdmin: Principal = { ...principals.member, role: 'admin' };
    assert.equal(await outcomeOf(() => collections.findEditable(claimsAdmin, 'board')), 'not found (404)');
  });
});
