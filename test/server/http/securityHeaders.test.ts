import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';

describe('security headers and caching on every response', () => {
  let runtime: TestRuntime;
  let documentId: string;
  const get = (route: string, headers: Record<string, string> = {}) =>
    fetch(`${runtime.url}${route}`, { headers: { authorization: `Bearer ${runtime.apiKey}`, ...headers } });

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false', TRUST_PROXY: 'true' });
    await createOpenCollection(runtime, 'notes');
    await uploadAndWait(runtime, 'notes', 'notes.md', '# Notes\n\nThe bring-up board needs the 12 V supply first.\n');
    documentId = (await runtime.services.db.query<{ id: string }>('SELECT id FROM documents')).rows[0]!.id;
  });
  after(() => runtime?.dispose());

  it('sends a Content-Security-Policy running only our scripts, never framed, with nosniff and a Referrer-Policy', async () => {
    for (const route of ['/', '/status', '/api/me', '/v1/models', '/healthz', '/api/nothing-here']) {
      const response = await get(route);
      const policy = response.headers.get('content-security-policy') ?? '';
      assert.match(policy, /script-src 'self'(;|$)/, route);
      assert.match(policy, /frame-ancestors 'none'/, route);
      assert.doesNotMatch(policy, /unsafe-inline[^;]*;?\s*script|upgrade-insecure-requests/, route);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', route);
      assert.equal(response.headers.get('referrer-policy'), 'same-origin', route);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', route);
      assert.equal(response.headers.get('strict-transport-security'), null, `${route}: no HSTS over plain HTTP`);
    }
  });

  it('sends HSTS when the request came over TLS through a trusted proxy', async () => {
    const response = await get('/healthz', { 'x-forwarded-proto': 'https' });
    assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=31536000; includeSubDomains/);
  });

  it('marks API answers, the app shell and file downloads private, no-store; hashed assets may be cached', async () => {
    for (const route of ['/api/me', '/api/collections', '/v1/models', `/api/documents/${documentId}/file`, '/readyz', '/']) {
      assert.equal((await get(route)).headers.get('cache-control'), 'private, no-store', route);
    }
    const asset = (await readdir('web/dist/assets')).find((file) => file.endsWith('.js'))!;
    assert.match((await get(`/assets/${asset}`)).headers.get('cache-control') ?? '', /max-age=3600/);
  });

  it('keeps a download a download: attachment, octet-stream and a sandbox policy of its own', async () => {
    const response = await get(`/api/documents/${documentId}/file`);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment/);
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('content-security-policy'), "sandbox; default-src 'none'");
  });
});
