import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readEvents } from '../../support/sse.ts';
import { createOpenCollection, startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { buildUser } from '../../support/factories.ts';

describe('admin console API: users, groups, API keys, collections, usage', () => {
  let runtime: TestRuntime;
  let memberKey: string;
  let memberId: string;
  const call = async (key: string, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  };
  const admin = (method: string, route: string, body?: unknown) => call(runtime.apiKey, method, route, body);

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    const member = await buildUser(runtime.services, { email: 'member@example.com' });
    memberKey = member.apiKey;
    memberId = member.id;
    await createOpenCollection(runtime, 'handbook');
  });
  after(() => runtime?.dispose());

  it('answers 403 to a member on every admin endpoint', async () => {
    for (const [method, route, body] of [
      ['GET', '/users'],
      ['POST', '/users', { email: 'x@example.com' }],
      ['PATCH', `/users/${memberId}`, { role: 'admin' }],
      ['DELETE', `/users/${memberId}`],
      ['GET', '/groups'],
      ['POST', '/groups', { name: 'mine' }],
      ['GET', '/usage'],
      ['PATCH', '/collections/handbook', { name: 'Mine' }],
      ['POST', '/collections/handbook/reembed'],
      ['DELETE', '/collections/handbook/grants/everyone'],
      ['POST', '/api-keys', { name: 'for admin', owner: 'admin@tapeout.local' }],
    ] as const) {
      const answer = await call(memberKey, method, route, body);
      assert.deepEqual([answer.status, answer.body?.error.code], [403, 'forbidden'], `${method} ${route}`);
    }
    assert.equal((await call(memberKey, 'GET', '/me')).status, 200, 'and the member is still signed in');
  });

  it('creates users (refusing duplicates and short passwords), changes roles, keeps the last admin', async () => {
    const created = await admin('POST', '/users', { email: 'Dana@Example.com', name: 'Dana', password: 'long enough password' });
    assert.equal(created.status, 201);
    assert.equal((await admin('POST', '/users', { email: 'dana@example.com' })).status, 409);
    const short = await admin('POST', '/users', { email: 'eve@example.com', password: 'short' });
    assert.match(short.body.error.message, /password: must be at least 12 characters/);
    const listed = (await admin('GET', '/users')).body.users.find((u: { email: string }) => u.email === 'Dana@Example.com');
    assert.deepEqual([listed.groups, listed.canSignIn], [['everyone'], true]);
    const adminUser = (await admin('GET', '/users')).body.users.find((u: { role: string }) => u.role === 'admin');
    const demote = await admin('PATCH', `/users/${adminUser.id}`, { role: 'member' });
    assert.match(demote.body.error.message, /only admin/);
    assert.match((await admin('DELETE', `/users/${adminUser.id}`)).body.error.message, /cannot remove yourself/);
    assert.equal((await admin('PATCH', `/users/${created.body.user.id}`, { role: 'admin' })).body.user.role, 'admin');
    assert.equal((await admin('DELETE', `/users/${created.body.user.id}`)).status, 204);
  });

  it('manages groups and members; the built-in everyone group stays whole', async () => {
    const group = (await admin('POST', '/groups', { name: 'physical-design' })).body.group;
    assert.equal((await admin('POST', '/groups', { name: 'physical-design' })).status, 409);
    assert.equal((await admin('POST', `/groups/${group.id}/members`, { email: 'MEMBER@example.com' })).status, 204);
    assert.equal((await admin('POST', `/groups/${group.id}/members`, { email: 'ghost@example.com' })).status, 404);
    const groups = (await admin('GET', '/groups')).body.groups;
    const listed = groups.find((g: { name: string }) => g.name === 'physical-design');
    assert.deepEqual(
      listed.members.map((m: { email: string }) => m.email),
      ['member@example.com'],
    );
    const everyone = groups.find((g: { name: string }) => g.name === 'everyone');
    assert.equal((await admin('DELETE', `/groups/${everyone.id}`)).status, 400);
    assert.equal((await admin('DELETE', `/groups/${everyone.id}/members/${memberId}`)).status, 400);
    assert.equal((await admin('DELETE', `/groups/${group.id}/members/${memberId}`)).status, 204);
    assert.equal((await admin('DELETE', `/groups/${group.id}`)).status, 204);
  });

  it('issues an API key once, which works until revoked; members see only their own keys', async () => {
    const created = await call(memberKey, 'POST', '/api-keys', { name: 'notebook', expiresInDays: 30 });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^tap_/);
    assert.ok(created.body.apiKey.expiresAt);
    assert.equal((await call(created.body.key, 'GET', '/me')).body.user.email, 'member@example.com');
    const mine = (await call(memberKey, 'GET', '/api-keys')).body.apiKeys;
    assert.deepEqual(
      mine.map((k: { owner: string }) => k.owner),
      ['member@example.com', 'member@example.com'],
    );
    assert.ok(!JSON.stringify(mine).includes(created.body.key), 'the key itself is never listed');
    assert.ok((await admin('GET', '/api-keys')).body.apiKeys.length > mine.length, 'admins see every key');
    assert.equal((await call(memberKey, 'DELETE', `/api-keys/${created.body.apiKey.id}`)).status, 204);
    assert.equal((await call(created.body.key, 'GET', '/me')).status, 401);
  });

  it('lists collections with counts and grants; changes chunking; grants and revokes access', async () => {
    const listed = (await admin('GET', '/collections')).body;
    const handbook = listed.collections.find((c: { slug: string }) => c.slug === 'handbook');
    assert.deepEqual(
      [handbook.chunkSize, handbook.grants, handbook.documents.total, listed.embeddingModel],
      [512, [{ group: 'everyone', permission: 'read' }], 0, handbook.embeddingModel],
    );
    assert.match((await admin('PATCH', '/collections/handbook', { chunkOverlap: 600 })).body.error.message, /smaller than chunkSize/);
    assert.equal((await admin('PATCH', '/collections/handbook', { chunkSize: 256, chunkOverlap: 32 })).body.collection.chunkSize, 256);
    assert.equal((await admin('DELETE', '/collections/handbook/grants/everyone')).status, 204);
    assert.deepEqual((await call(memberKey, 'GET', '/collections')).body.collections, [], 'the member no longer sees it');
    assert.equal((await admin('DELETE', '/collections/handbook/grants/everyone')).status, 404);
    assert.equal((await admin('POST', '/collections/handbook/grants', { group: 'everyone' })).status, 201);
  });

  it('reports usage: questions per day, answers without sources, feedback', async () => {
    const { conversation } = (await call(memberKey, 'POST', '/conversations', { assistant: 'nobody' })).body ?? {};
    assert.equal(conversation, undefined, 'no such assistant');
    await runtime.services.assistants.createFromInput(systemActor, {
      slug: 'helper',
      name: 'Helper',
      systemPrompt: 'Answer.',
      collections: ['handbook'],
    });
    const id = (await call(memberKey, 'POST', '/conversations', { assistant: 'helper' })).body.conversation.id;
    const events = await readEvents(
      await fetch(`${runtime.url}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${memberKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'Anything about lint?' }),
      }),
    );
    const answerId = events.find((e) => e.event === 'start')!.data.answerId;
    assert.equal(
      (await call(memberKey, 'POST', `/messages/${answerId}/feedback`, { rating: 'down', comment: 'found nothing' })).status,
      204,
    );
    const usage = (await admin('GET', '/usage?days=7')).body;
    assert.equal(usage.questionsPerDay.length, 7);
    assert.equal(usage.questionsPerDay.at(-1).questions, 1);
    assert.deepEqual([usage.questions, usage.answeredWithoutSources, usage.feedback], [1, 1, { up: 0, down: 1 }]);
    assert.deepEqual(
      usage.recentComplaints.map((c: { question: string; comment: string }) => [c.question, c.comment]),
      [['Anything about lint?', 'found nothing']],
    );
    assert.deepEqual(usage.byAssistant, [{ assistant: 'helper', questions: 1 }]);
    assert.equal((await admin('GET', '/usage?days=0')).status, 400);
  });
});
