import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildCollection, buildUser } from '../../support/factories.ts';
import { startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';

/** POST /api/search: passages without an answer, under the caller's grants (the MCP search tool's REST twin). */
describe('POST /api/search', () => {
  let runtime: TestRuntime;
  let memberKey: string;

  const search = (key: string, body: unknown) =>
    fetch(`${runtime.url}/api/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    memberKey = (await buildUser(runtime.services, { email: 'search-member@example.com' })).apiKey;
    await buildCollection(runtime.services, { slug: 'timing', grants: { everyone: 'read' } });
    await buildCollection(runtime.services, { slug: 'legal' });
    await uploadAndWait(
      runtime,
      'timing',
      'hold.md',
      '# Hold fixing\n\nFix hold violations after clock tree synthesis with delay cells.\n',
    );
    await uploadAndWait(runtime, 'legal', 'nda.md', '# NDA\n\nHold fixing methods of the foundry are under NDA code OSPREYNDA.\n');
  });

  after(() => runtime?.dispose());

  it('finds passages with their citation links, and only where the caller may read', async () => {
    const asMember = (await (await search(memberKey, { query: 'hold fixing' })).json()) as {
      passages: { title: string; text: string; citation: string }[];
    };
    assert.deepEqual(
      asMember.passages.map((passage) => passage.title),
      ['Hold fixing'],
    );
    assert.match(asMember.passages[0]!.citation, /^http:\/\/.+\/sources\/\d+$/);
    const asAdmin = (await (await search(runtime.apiKey, { query: 'hold fixing', limit: 5 })).json()) as { passages: { text: string }[] };
    assert.ok(asAdmin.passages.some((passage) => passage.text.includes('OSPREYNDA')));
  });

  it('refuses what it cannot do with a precise 4xx', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ query: '' }, 400, /query must not be empty/],
      [{ query: 'hold', limit: 500 }, 400, /limit/],
      [{ query: 'hold', assistant: 'a', collection: 'b' }, 400, /assistant or collection, not both/],
      [{ query: 'hold', collection: 'legal' }, 404, /Collection "legal" was not found/],
      [{ query: 'hold', top_k: 3 }, 400, /top_k/],
    ];
    for (const [body, status, message] of cases) {
      const response = await search(memberKey, body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
    }
  });
});
