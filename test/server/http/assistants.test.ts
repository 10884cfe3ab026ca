import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenCollection, startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { buildUser } from '../../support/factories.ts';

describe('assistants API', () => {
  let runtime: TestRuntime;
  let memberKey: string;
  const call = (method: string, route: string, body?: unknown, key = runtime.apiKey) =>
    fetch(`${runtime.url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const sta = {
    slug: 'sta-helper',
    name: 'STA helper',
    systemPrompt: 'You answer timing questions.',
    collections: ['sta'],
    retrieval: { candidates: 80, topK: 8 },
  };

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'sta');
    await createOpenCollection(runtime, 'dft');
    memberKey = (await buildUser(runtime.services, { email: 'eng@example.com' })).apiKey;
  });
  after(() => runtime?.dispose());

  it('creates an assistant over collections named by slug, and reads it back', async () => {
    const created = await call('POST', '/assistants', sta);
    assert.equal(created.status, 201);
    const { assistant } = await created.json();
    assert.deepEqual([assistant.slug, assistant.collections, assistant.retrieval], ['sta-helper', ['sta'], { candidates: 80, topK: 8 }]);
    const read = await (await call('GET', '/assistants/sta-helper', undefined, memberKey)).json();
    assert.equal(read.assistant.name, 'STA helper');
  });

  it('shows the system prompt to admins and to editors of one of its collections, to nobody else', async () => {
    const { services } = runtime;
    const editor = await buildUser(services, { email: 'sta-editor@example.com' });
    const editorKey = editor.apiKey;
    await services.groups.create(systemActor, { name: 'sta-editors' });
    await services.groups.addMember(
      systemActor,
      (await services.groups.list(systemActor)).find((g) => g.name === 'sta-editors')!.id,
      'sta-editor@example.com',
    );
    await services.collections.grantToGroup(systemActor, (await services.collections.findBySlug('sta'))!.id, 'sta-editors', 'edit');
    const prompt = async (key: string) => {
      const listed = (await (await call('GET', '/assistants', undefined, key)).json()).assistants.find(
        (a: { slug: string }) => a.slug === 'sta-helper',
      );
      const read = (await (await call('GET', '/assistants/sta-helper', undefined, key)).json()).assistant;
      assert.equal(listed.systemPrompt, read.systemPrompt);
      return read.systemPrompt;
    };
    assert.equal(await prompt(runtime.apiKey), 'You answer timing questions.');
    assert.equal(await prompt(editorKey), 'You answer timing questions.');
    assert.equal(await prompt(memberKey), null);
    const models = await (await fetch(`${runtime.url}/v1/models`, { headers: { authorization: `Bearer ${memberKey}` } })).text();
    assert.doesNotMatch(models, /timing questions/);
  });

  it('refuses a taken slug, an unknown collection and bad settings, with the field named', async () => {
    assert.equal((await call('POST', '/assistants', sta)).status, 409);
    const unknown = await call('POST', '/assistants', { ...sta, slug: 'other', collections: ['sta', 'nope'] });
    assert.deepEqual([unknown.status, (await unknown.json()).error.message], [400, 'Unknown collection(s): nope.']);
    const bad = await (
      await call('POST', '/assistants', { ...sta, slug: 'x', temperature: 5, retrieval: { topK: 50, candidates: 10 } })
    ).json();
    assert.match(bad.error.message, /temperature/);
    assert.match(bad.error.message, /retrieval\.topK: topK must not exceed candidates/);
  });

  it('changes only the fields sent; collections are replaced as a whole', async () => {
    const patched = await call('PATCH', '/assistants/sta-helper', { collections: ['dft', 'sta'], temperature: 0.2 });
    assert.equal(patched.status, 200);
    const { assistant } = await patched.json();
    assert.deepEqual(
      [assistant.collections, assistant.temperature, assistant.systemPrompt],
      [['dft', 'sta'], 0.2, 'You answer timing questions.'],
    );
    assert.equal((await call('PATCH', '/assistants/sta-helper', {})).status, 400);
    assert.equal((await call('PATCH', '/assistants/missing', { name: 'x' })).status, 404);
  });

  it('lets only admins create, change and delete', async () => {
    for (const [method, route, body] of [
      ['POST', '/assistants', { ...sta, slug: 'mine' }],
      ['PATCH', '/assistants/sta-helper', { name: 'x' }],
      ['DELETE', '/assistants/sta-helper'],
    ] as const) {
      const response = await call(method, route, body, memberKey);
      assert.deepEqual([method, response.status, (await response.json()).error.code], [method, 403, 'forbidden']);
    }
  });

  it('deletes an assistant', async () => {
    assert.equal((await call('DELETE', '/assistants/sta-helper')).status, 204);
    assert.equal((await call('GET', '/assistants/sta-helper')).status, 404);
    assert.equal((await call('DELETE', '/assistants/sta-helper')).status, 404);
  });
});
