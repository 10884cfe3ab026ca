import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { freePort } from '../../support/oidcProvider.ts';
import { MemoryOAuthClient } from '../../support/mcpOAuthClient.ts';
import { buildCollection, buildUser } from '../../support/factories.ts';
import { startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';

const redirectUrl = 'http://127.0.0.1:47123/callback';

/** Signs in with a password as the browser does: the session cookie and the CSRF token. */
async function browserSession(runtime: TestRuntime, email: string, password: string) {
  const response = await fetch(`${runtime.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(response.status, 200);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/**
 * The MCP authorization flow end to end, as an IDE agent runs it with the SDK's client: a 401
 * pointing at the metadata, discovery, dynamic registration, /authorize, the user's consent on
 * Tapeout's own page after signing in there, the code exchanged with PKCE, /mcp under that
 * user's grants; then refresh-token rotation, reuse detection and revocation in the console.
 */
describe('MCP authorization (OAuth 2.1 + PKCE through Tapeout sign-in)', () => {
  let runtime: TestRuntime;
  const provider = new MemoryOAuthClient(redirectUrl);
  let session: { cookie: string; csrfToken: string };
  let mcpUrl: URL;

  const consent = async (verdict: 'approve' | 'deny') => {
    // The browser opens the authorization URL and is sent to the consent page.
    const opened = await fetch(provider.authorizationUrl!, { redirect: 'manual', headers: { cookie: session.cookie } });
    assert.equal(opened.status, 302);
    const consentPath = opened.headers.get('location')!;
    const id = /^\/oauth\/consent\/([0-9a-f-]{36})$/.exec(consentPath)?.[1];
    assert.ok(id, consentPath);
    const page = await fetch(`${runtime.url}/api/mcp/authorizations/${id}`, { headers: { cookie: session.cookie } });
    const shown = (await page.json()) as { request: { client: { name: string }; redirectHost: string; local: boolean } };
    assert.deepEqual(
      [shown.request.client.name, shown.request.redirectHost, shown.request.local],
      ['Spec IDE agent', '127.0.0.1:47123', true],
    );
    const answered = await fetch(`${runtime.url}/api/mcp/authorizations/${id}/${verdict}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    assert.equal(answered.status, 200);
    return new URL(((await answered.json()) as { redirectTo: string }).redirectTo);
  };

  before(async () => {
    const port = await freePort();
    runtime = await startTestRuntime({ SEED_DEMO: 'false', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    runtime.url = `http://127.0.0.1:${port}`;
    mcpUrl = new URL(`${runtime.url}/mcp`);
    await buildUser(runtime.services, { email: 'oauth-member@example.com', password: 'correct horse battery staple' });
    await buildCollection(runtime.services, { slug: 'open-notes', grants: { everyone: 'read' } });
    await buildCollection(runtime.services, { slug: 'admins-only' });
    await uploadAndWait(
      runtime,
      'open-notes',
      'eco.md',
      '# ECO flow\n\nAn engineering change order needs a metal-only spin and sign-off by the block owner.\n',
    );
    await uploadAndWait(
      runtime,
      'admins-only',
      'eco-cost.md',
      '# ECO cost\n\nEach metal-only engineering change order spin costs code HERONCOST.\n',
    );
    session = await browserSession(runtime, 'oauth-member@example.com', 'correct horse battery staple');
  });

  after(() => runtime?.dispose());

  it('tells an unauthenticated client where to sign in, as RFC 9728 and RFC 8414 describe', async () => {
    const refused = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 401);
    const pointer = /resource_metadata="([^"]+)"/.exec(refused.headers.get('www-authenticate')!)?.[1];
    assert.equal(pointer, `${runtime.url}/.well-known/oauth-protected-resource/mcp`);
    const resource = (await (await fetch(pointer!)).json()) as { resource: string; authorization_servers: string[] };
    assert.deepEqual(resource, { ...resource, resource: mcpUrl.href, authorization_servers: [`${runtime.url}/`] });
    const server = (await (await fetch(`${runtime.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(server.authorization_endpoint, `${runtime.url}/authorize`);
    assert.deepEqual(server.code_challenge_methods_supported, ['S256']);
    assert.ok(server.registration_endpoint);
  });

  it('signs a client in through the consent page and serves /mcp under that user’s grants', async () => {
    assert.equal(await auth(provider, { serverUrl: mcpUrl }), 'REDIRECT');
    // Registered as a public client whatever it asked for: open registration makes a secret prove nothing.
    assert.equal((provider.client as { token_endpoint_auth_method?: string }).token_endpoint_auth_method, 'none');
    assert.equal(provider.authorizationUrl!.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(provider.authorizationUrl!.searchParams.get('resource'), mcpUrl.href);
    const back = await consent('approve');
    const code = back.searchParams.get('code')!;
    assert.equal(back.searchParams.get('state'), provider.authorizationUrl!.searchParams.get('state'));
    assert.equal(await auth(provider, { serverUrl: mcpUrl, authorizationCode: code }), 'AUTHORIZED');
    assert.match(provider.saved!.access_token, /^tmcp_/);
    assert.equal(provider.saved!.expires_in, 3600);

    const client = new Client({ name: 'spec', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    const found = (await client.callTool({
      name: 'search',
      arguments: { query: 'metal-only engineering change order spin' },
    })) as unknown as {
      structuredContent: { passages: { text: string }[] };
    };
    assert.ok(found.structuredContent.passages.some((passage) => passage.text.includes('block owner')));
    assert.ok(!JSON.stringify(found).includes('HERONCOST'), 'a member never reads an admin-only collection');
    await client.close();

    // The code is single-use: presented again, it is refused and what it gave is revoked.
    const again = await fetch(`${runtime.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: provider.verifier,
        client_id: provider.client!.client_id,
        redirect_uri: redirectUrl,
      }),
    });
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    const afterReuse = await fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${provider.saved!.access_token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(afterReuse.status, 401);
  });

  it('rotates refresh tokens, revokes the grant when a used one comes back, and accepts its tokens at /mcp only', async () => {
    provider.saved = undefined;
    await auth(provider, { serverUrl: mcpUrl });
    const back = await consent('approve');
    await auth(provider, { serverUrl: mcpUrl, authorizationCode: back.searchParams.get('code')! });
    const first = provider.saved!;
    const refresh = (token: string) =>
      fetch(`${runtime.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: provider.client!.client_id }),
      });
    const rotated = (await (await refresh(first.refresh_token!)).json()) as OAuthTokens;
    assert.notEqual(rotated.refresh_token, first.refresh_token);
    // Not an API key: the rest of the API does not take it.
    assert.equal(
      (await fetch(`${runtime.url}/api/assistants`, { headers: { authorization: `Bearer ${rotated.access_token}` } })).status,
      401,
    );
    const replayed = await refresh(first.refresh_token!);
    assert.equal(replayed.status, 400);
    assert.equal((await refresh(rotated.refresh_token!)).status, 400, 'the whole grant went with the replay');
  });

  it('sends a declined sign-in back to the client as access_denied', async () => {
    provider.saved = undefined;
    await auth(provider, { serverUrl: mcpUrl });
    const back = await consent('deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('ends a sign-in revoked in the console at once, its open session included', async () => {
    provider.saved = undefined;
    await auth(provider, { serverUrl: mcpUrl });
    await auth(provider, { serverUrl: mcpUrl, authorizationCode: (await consent('approve')).searchParams.get('code')! });
    const client = new Client({ name: 'spec', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    await client.listTools();
    const listed = (await (await fetch(`${runtime.url}/api/mcp/sign-ins`, { headers: { cookie: session.cookie } })).json()) as {
      signIns: { id: string; client: { name: string }; user: { email: string } }[];
    };
    assert.equal(listed.signIns.length, 1, 'one live sign-in: the others were revoked or declined');
    assert.deepEqual([listed.signIns[0]!.client.name, listed.signIns[0]!.user.email], ['Spec IDE agent', 'oauth-member@example.com']);
    const revoked = await fetch(`${runtime.url}/api/mcp/sign-ins/${listed.signIns[0]!.id}`, {
      method: 'DELETE',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    assert.equal(revoked.status, 204);
    const direct = await fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${provider.saved!.access_token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(direct.status, 401);
    await assert.rejects(client.listTools());
    await client.close().catch(() => undefined);
  });
});
