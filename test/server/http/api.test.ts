import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { buildUser } from '../../support/factories.ts';

describe('HTTP API', () => {
  let runtime: TestRuntime;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${runtime.url}${path}`, { headers });
  const asAdmin = () => ({ authorization: `Bearer ${runtime.apiKey}` });

  before(async () => {
    runtime = await startTestRuntime({ SENTENCE_ENCODER: 'auto' }); // /readyz names the sentence encoder too
  });
  after(() => runtime?.dispose());

  it('GET /healthz answers ok', async () => {
    const response = await get('/healthz');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('GET /readyz tells anybody only ok or degraded; services, URLs, models and errors are for admins', async () => {
    const memberKey = 'tap_member_key_for_readiness_0123456789';
    await buildUser(runtime.services, { email: 'reader@example.com', apiKey: memberKey });
    for (const headers of [{}, { authorization: `Bearer ${memberKey}` }, { authorization: 'Bearer tap_not_a_key' }] as Record<
      string,
      string
    >[]) {
      const response = await get('/readyz', headers);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    }
  });

  it('GET /readyz reports every component with its mode to an admin', async () => {
    const response = await get('/readyz', asAdmin());
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.status, 'ok');
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(body.components).map(([name, c]) => [name, [(c as { mode: string }).mode, (c as { ok: boolean }).ok]]),
      ),
      {
        database: ['embedded', true],
        queue: ['inline', true],
        llm: ['extractive', true],
        embeddings: ['embedded', true],
        reranker: ['embedded', true],
      },
    );
    assert.equal(body.components.embeddings.detail, 'CPU embedder tapeout-hashing-v3, sentence vectors universal-sentence-encoder-lite');
  });

  it("GET /readyz tells an admin this process's event-loop delay since the previous report, and its memory", async () => {
    await get('/readyz', asAdmin());
    // perf_hooks does not record the first interval after a report's reset: let one pass first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Blocks the event loop for 120 ms (this test runs the server in-process).
    const blockedUntil = Date.now() + 120;
    while (Date.now() < blockedUntil);
    // The monitor's timer records the late interval once the loop turns again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { process: serverProcess } = await (await get('/readyz', asAdmin())).json();
    assert.ok(serverProcess.eventLoopDelayMs.max >= 100, `max ${serverProcess.eventLoopDelayMs.max}`);
    assert.ok(serverProcess.rssMb > 50);
    const next = (await (await get('/readyz', asAdmin())).json()).process.eventLoopDelayMs;
    assert.ok(next.max < 100 && next.sinceMs < serverProcess.eventLoopDelayMs.sinceMs + 1000, 'each report covers only its own period');
  });

  it('lists the three demo assistants to a bearer API key', async () => {
    const response = await get('/api/assistants', asAdmin());
    assert.equal(response.status, 200);
    const { assistants } = await response.json();
    assert.deepEqual(assistants.map((a: { slug: string }) => a.slug).sort(), ['chip-design-helper', 'hr-policy', 'it-helpdesk']);
    const chip = assistants.find((a: { slug: string }) => a.slug === 'chip-design-helper');
    assert.equal(chip.name, 'Chip-design helper');
    assert.ok(chip.description.length > 20);
    assert.deepEqual(chip.collections, ['chip-design']);
  });

  for (const [name, headers, message] of [
    ['no Authorization header', {}, /Authentication required/],
    ['a malformed header', { authorization: 'Token abc' }, /Malformed Authorization header/],
    ['an unknown key', { authorization: 'Bearer tap_unknown' }, /Invalid, revoked or expired API key/],
  ] as const) {
    it(`refuses ${name} with 401 and a JSON error`, async () => {
      const response = await get('/api/assistants', headers);
      assert.equal(response.status, 401);
      const body = await response.json();
      assert.equal(body.error.code, 'unauthenticated');
      assert.match(body.error.message, message);
    });
  }

  it('answers an unknown API route with a JSON 404', async () => {
    const response = await get('/api/nothing-here?x=1', asAdmin());
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: { code: 'not_found', message: 'GET /api/nothing-here was not found.' } });
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await fetch(`${runtime.url}/api/me`, {
      method: 'POST',
      headers: { ...asAdmin(), 'content-type': 'application/json' },
      body: '{"broken": ',
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error.code, 'invalid_json');
  });

  it('serves the web app shell at /', async () => {
    const response = await get('/');
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<div id="root">/);
  });
});
