import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../../server/access/systemActor.ts';
import { AssistantService } from '../../../server/assistants/AssistantService.ts';
import { CredentialEvents } from '../../../server/auth/CredentialEvents.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { CollectionLanguages } from '../../../server/collections/CollectionLanguages.ts';
import { CollectionService } from '../../../server/collections/CollectionService.ts';
import { ConversationService } from '../../../server/conversations/ConversationService.ts';
import type { Database } from '../../../server/db/Database.ts';
import { DocumentService } from '../../../server/documents/DocumentService.ts';
import { SourceService } from '../../../server/documents/SourceService.ts';
import { ForbiddenError, NotFoundError } from '../../../server/errors.ts';
import { HashingEmbedder } from '../../../server/inference/embeddings/HashingEmbedder.ts';
import { InlineJobQueue } from '../../../server/queue/InlineJobQueue.ts';
import { SlackChannelBindings } from '../../../server/slack/SlackChannelBindings.ts';
import { UsageService } from '../../../server/usage/UsageService.ts';
import { ApiKeyService } from '../../../server/users/ApiKeyService.ts';
import { GroupService } from '../../../server/users/GroupService.ts';
import { UserService } from '../../../server/users/UserService.ts';
import { createGroup, principalOf } from '../../support/fixtures.ts';
import { openTestDatabase, silentLogger } from '../../support/testDatabase.ts';

/** The services a route, a socket, Slack, the CLI or (next) a tool or MCP call reaches. */
const useCaseServices = {
  UserService,
  GroupService,
  ApiKeyService,
  AssistantService,
  CollectionService,
  CollectionLanguages,
  SlackChannelBindings,
  UsageService,
  DocumentService,
  ConversationService,
  SourceService,
};

/**
 * The methods that take no principal, each with why it needs none. Anything else must take the
 * principal first, so a second caller cannot forget who is asking. Private helpers are listed
 * because TypeScript's `private` leaves them on the prototype.
 */
const noPrincipalNeeded: Record<string, string> = {
  'UserService.findByEmail': 'a lookup by email (sign-in, API keys, SCIM), changes nothing',
  'UserService.verifyCredentials': 'password sign-in: how a principal comes to be',
  'UserService.hasPassword': 'a comparison at start-up (ADMIN_PASSWORD), changes nothing',
  'UserService.principalForApiKey': 'authentication: how a principal comes to be',
  'UserService.apiKeyCredential': 'authentication: how a principal comes to be',
  'UserService.countAdmins': 'a count, changes nothing',
  'GroupService.find': 'private helper of the checked methods',
  'AssistantService.findForAnswering': "the chat turn's read; what it retrieves is limited to the asker's grants in SQL",
  'CollectionService.findBySlug': "a collection's settings by slug (no documents), changes nothing",
  'CollectionLanguages.detectFromSample': "the pipeline, on a document accepted under its uploader's edit rights",
  'CollectionLanguages.detectUndetermined': 'start-up, over collections already holding documents',
  'CollectionLanguages.sample': 'private helper',
  'SlackChannelBindings.settingsFor': "Slack's answering path reads a channel's binding, changes nothing",
  'DocumentService.take': 'private helper of ingestUploads',
  'DocumentService.findJob': "a job's state for the CLI that queued it, no document text",
  'ConversationService.externalThreadExists': "Slack's thread bookkeeping, changes nothing",
  'ConversationService.externalRefOfMessage': "Slack's thread bookkeeping, changes nothing",
  'ConversationService.history': 'read inside a turn whose conversation was loaded under the asker',
  'ConversationService.startTurn': 'writes inside a turn whose conversation was loaded under the asker',
  'ConversationService.finishAnswer': 'writes inside a turn whose conversation was loaded under the asker',
};

/** The first parameter's name, from the method's source (tsx keeps names). */
function firstParameter(method: unknown): string {
  return /^(?:async\s+)?[\w$]+\s*\(\s*([\w$]*)/.exec(String(method))?.[1] ?? '';
}

describe('permissions at the service boundary (server/access/)', () => {
  it('every method of a use-case service takes the principal first, or is listed with why it needs none', () => {
    const unchecked: string[] = [];
    const stale = new Set(Object.keys(noPrincipalNeeded));
    for (const [className, service] of Object.entries(useCaseServices)) {
      for (const name of Object.getOwnPropertyNames(service.prototype)) {
        if (name === 'constructor') continue;
        const key = `${className}.${name}`;
        const takesPrincipal = firstParameter((service.prototype as unknown as Record<string, unknown>)[name]) === 'principal';
        if (takesPrincipal) continue;
        if (noPrincipalNeeded[key]) stale.delete(key);
        else unchecked.push(key);
      }
    }
    assert.deepEqual(unchecked, [], 'these take no principal: take it first and ask server/access/policies.ts');
    assert.deepEqual([...stale], [], 'listed as needing no principal, but they take one or are gone');
  });

  describe('a member calling what only admins may do is refused, and nothing changes', () => {
    let db: Database;
    let filesDir: string;
    let member: Principal;
    let adminId: string;
    let targetId: string;
    let editorsId: string;
    let handbookId: string;
    let services: {
      users: UserService;
      groups: GroupService;
      assistants: AssistantService;
      collections: CollectionService;
      languages: CollectionLanguages;
      slack: SlackChannelBindings;
      usage: UsageService;
      documents: DocumentService;
    };

    before(async () => {
      db = await openTestDatabase();
      filesDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-boundary-'));
      const collections = new CollectionService(db);
      services = {
        users: new UserService(db, new CredentialEvents()),
        groups: new GroupService(db),
        assistants: new AssistantService(db),
        collections,
        languages: new CollectionLanguages(db),
        slack: new SlackChannelBindings(db),
        usage: new UsageService(db),
        documents: new DocumentService(db, new InlineJobQueue(silentLogger), collections, filesDir),
      };
      const { users } = services;
      adminId = (await users.create(systemActor, { email: 'admin@example.com', role: 'admin' })).id;
      const memberUser = await users.create(systemActor, { email: 'member@example.com', role: 'member' });
      member = principalOf(memberUser);
      targetId = (await users.create(systemActor, { email: 'target@example.com', role: 'member' })).id;
      editorsId = await createGroup(db, 'editors', [memberUser]);
      const embedder = new HashingEmbedder();
      const model = { embeddingModel: embedder.model, embeddingDimension: await embedder.dimension() };
      handbookId = (await collections.create(systemActor, { slug: 'handbook', name: 'Handbook', ...model })).id;
      await collections.grantToGroup(systemActor, handbookId, 'everyone', 'read');
      await collections.create(systemActor, { slug: 'board', name: 'Board', ...model });
      await services.assistants.create(systemActor, {
        slug: 'helper',
        name: 'Helper',
        systemPrompt: 'Answer.',
        collectionIds: [handbookId],
      });
      await services.slack.bind(systemActor, 'C0', 'general', 'helper');
    });
    after(async () => {
      await db?.close();
      if (filesDir) await rm(filesDir, { recursive: true, force: true });
    });

    /** Every row of the tables these services write, so "nothing changed" is checked, not assumed. */
    async function snapshot(): Promise<string> {
      const tables = ['users', 'groups', 'memberships', 'api_keys', 'sessions', 'collections', 'collection_grants'];
      tables.push('assistants', 'assistant_collections', 'slack_channel_bindings', 'documents', 'ingestion_jobs');
      const rows = await Promise.all(tables.map(async (table) => (await db.query(`SELECT * FROM ${table} ORDER BY 1`)).rows));
      return JSON.stringify(rows);
    }

    const model = { embeddingModel: 'hashing', embeddingDimension: 8 };
    const key = 'tap_boundary_key_0123456789abcdef0123';
    const attempts: [string, (p: Principal) => Promise<unknown>, 'forbidden' | 'not found'][] = [
      ['users.list', (p) => services.users.list(p), 'forbidden'],
      ['users.create', (p) => services.users.create(p, { email: 'new@example.com', role: 'admin' }), 'forbidden'],
      ['users.register', (p) => services.users.register(p, { email: 'new@example.com', role: 'admin' }), 'forbidden'],
      ['users.update', (p) => services.users.update(p, targetId, { role: 'admin' }), 'forbidden'],
      ['users.remove', (p) => services.users.remove(p, targetId), 'forbidden'],
      ['users.setActive', (p) => services.users.setActive(p, targetId, false), 'forbidden'],
      ['users.setPassword', (p) => services.users.setPassword(p, targetId, 'a new password 123'), 'forbidden'],
      ['users.endSessions of another user', (p) => services.users.endSessions(p, targetId), 'forbidden'],
      ['users.addApiKey for another user', (p) => services.users.addApiKey(p, targetId, key, 'stolen'), 'forbidden'],
      ['users.replaceBootstrapKey', (p) => services.users.replaceBootstrapKey(p, adminId, key), 'forbidden'],
      ['groups.list', (p) => services.groups.list(p), 'forbidden'],
      ['groups.create', (p) => services.groups.create(p, { name: 'mine' }), 'forbidden'],
      ['groups.delete', (p) => services.groups.delete(p, editorsId), 'forbidden'],
      ['groups.addMember', (p) => services.groups.addMember(p, editorsId, 'target@example.com'), 'forbidden'],
      ['groups.removeMember', (p) => services.groups.removeMember(p, editorsId, member.userId!), 'forbidden'],
      [
        'assistants.create',
        (p) => services.assistants.create(p, { slug: 'x', name: 'X', systemPrompt: '.', collectionIds: [] }),
        'forbidden',
      ],
      [
        'assistants.createFromInput',
        (p) => services.assistants.createFromInput(p, { slug: 'x', name: 'X', systemPrompt: '.', collections: [] }),
        'forbidden',
      ],
      ['assistants.update', (p) => services.assistants.update(p, 'helper', { systemPrompt: 'Obey me.' }), 'forbidden'],
      ['assistants.delete', (p) => services.assistants.delete(p, 'helper'), 'forbidden'],
      ['collections.create', (p) => services.collections.create(p, { slug: 'mine', name: 'Mine', ...model }), 'forbidden'],
      ['collections.update', (p) => services.collections.update(p, handbookId, { chunkSize: 64, chunkOverlap: 8 }), 'forbidden'],
      ['collections.grantToGroup', (p) => services.collections.grantToGroup(p, handbookId, 'editors', 'edit'), 'forbidden'],
      ['collections.revokeFromGroup', (p) => services.collections.revokeFromGroup(p, handbookId, 'everyone'), 'forbidden'],
      ['collectionLanguages.choose', (p) => services.languages.choose(p, handbookId, 'de'), 'forbidden'],
      ['slackBindings.list', (p) => services.slack.list(p), 'forbidden'],
      ['slackBindings.bind', (p) => services.slack.bind(p, 'C1', 'random', 'helper'), 'forbidden'],
      ['slackBindings.unbind', (p) => services.slack.unbind(p, 'C0'), 'forbidden'],
      ['usage.report', (p) => services.usage.report(p, 7), 'forbidden'],
      ['documents.ingestUploads into a collection it only reads', (p) => services.documents.ingestUploads(p, 'handbook', []), 'forbidden'],
      ['documents.ingestUploads into a collection it cannot read', (p) => services.documents.ingestUploads(p, 'board', []), 'not found'],
    ];

    for (const [action, attempt, refusal] of attempts) {
      it(`${action}: ${refusal}`, async () => {
        const before = await snapshot();
        await assert.rejects(attempt(member), refusal === 'forbidden' ? ForbiddenError : NotFoundError);
        assert.equal(await snapshot(), before);
      });
    }

    it('the same calls go through for an admin and for Tapeout itself (the refusals above are the principal’s)', async () => {
      const admin: Principal = { userId: adminId, email: 'admin@example.com', role: 'admin' };
      const group = await services.groups.create(admin, { name: 'by-admin' });
      await services.groups.delete(systemActor, group.id);
      await services.collections.grantToGroup(admin, handbookId, 'editors', 'edit');
      await services.users.endSessions(member, member.userId!);
      const outcome = await services.documents.ingestUploads(member, 'handbook', []);
      assert.deepEqual(outcome, { jobs: [], unchanged: [], rejected: [] }, 'an editor of the collection may upload to it');
      await services.collections.revokeFromGroup(systemActor, handbookId, 'editors');
    });
  });
});
