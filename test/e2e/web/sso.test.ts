import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../../support/browser.ts';
import { freePort, startOidcProvider, type TestOidcProvider } from '../../support/oidcProvider.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MemoryOAuthClient, startCallbackServer } from '../../support/mcpOAuthClient.ts';

const adminPassword = 'sso e2e admin password';
const scimToken = 'sso-e2e-scim-token-0123456789abcdef012345';

describe('web: single sign-on in Chromium, SCIM deactivation and the audit log', () => {
  const available = chromiumAvailable();
  let provider: TestOidcProvider;
  let runtime: TestRuntime;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Record<string, Page> = {};
  const pageErrors: string[] = [];
  let aliceMcp: Client | undefined;

  const adminApi = (path: string, body: unknown, method = 'POST') =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** A new browser, signed in through the provider's own login page. */
  const signInWithSso = async (login: string): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(runtime.url);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };

  const ask = async (page: Page, question: string): Promise<string> => {
    await page.getByRole('radio', { name: /Tape-out helper/ }).check();
    await page.getByLabel('Message').fill(question);
    await page.getByLabel('Message').press('Enter');
    const answer = page.getByRole('article', { name: 'Answer' }).last();
    await answer.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('article[aria-label="Answer"]')].every((a) => a.getAttribute('aria-busy') === 'false'),
    );
    return (await answer.textContent()) ?? '';
  };

  before(async () => {
    if (!available) return;
    const port = await freePort();
    const url = `http://localhost:${port}`;
    provider = await startOidcProvider(`${url}/api/auth/oidc/callback`, `${url}/`);
    provider.accounts.set('alice', { email: 'alice@example.com', email_verified: true, name: 'Alice Chen', groups: ['soc-team'] });
    provider.accounts.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob Ito', groups: ['sales'] });
    runtime = await startTestRuntime({
      PORT: String(port),
      PUBLIC_URL: url,
      SEED_DEMO: 'false',
      ADMIN_PASSWORD: adminPassword,
      SCIM_TOKEN: scimToken,
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
    });
    assert.equal((await adminApi('/api/collections', { slug: 'soc-notes', name: 'SoC notes' })).status, 201);
    assert.equal((await adminApi('/api/groups', { name: 'soc-team' })).status, 201);
    assert.equal((await adminApi('/api/collections/soc-notes/grants', { group: 'soc-team' })).status, 201);
    await uploadAndWait(
      runtime,
      'soc-notes',
      'orion.md',
      '# Orion schedule\n\nThe Orion B0 tape-out date is 14 March; the shuttle slot is MPW-7731.',
    );
    const assistant = {
      slug: 'tapeout-helper',
      name: 'Tape-out helper',
      systemPrompt: 'Answer from the sources.',
      collections: ['soc-notes'],
    };
    assert.equal((await adminApi('/api/assistants', assistant)).status, 201);
    browser = await launchChromium();
  });
  after(async () => {
    await aliceMcp?.close().catch(() => undefined);
    for (const context of contexts) await context.close();
    await browser?.close();
    await runtime?.dispose();
    await provider?.close();
  });

  it('gives the person whose groups claim holds soc-team its content, and the other person none of it', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    pages.alice = await signInWithSso('alice');
    assert.match(await ask(pages.alice, 'When is the Orion B0 tape-out date?'), /14 March/);
    pages.bob = await signInWithSso('bob');
    assert.doesNotMatch(await ask(pages.bob, 'When is the Orion B0 tape-out date?'), /14 March|MPW-7731/);
  });

  it('signs an MCP client in as her through SSO and the consent page, under her grants', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const callback = await startCallbackServer();
    const provider = new MemoryOAuthClient(callback.url);
    const mcpUrl = new URL(`${runtime.url}/mcp`);
    assert.equal(await auth(provider, { serverUrl: mcpUrl }), 'REDIRECT');
    // A browser that is not signed in: Tapeout's sign-in comes first, then the consent page.
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(provider.authorizationUrl!.href);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { name: 'Sign in an MCP client' }).waitFor();
    await page.getByText('Spec IDE agent asks to use Tapeout as you (alice@example.com).').waitFor();
    await page.screenshot({ path: 'test-results/mcp-consent.png' });
    await page.getByRole('button', { name: 'Approve' }).click();
    const code = await callback.code;
    assert.equal(await auth(provider, { serverUrl: mcpUrl, authorizationCode: code }), 'AUTHORIZED');
    aliceMcp = new Client({ name: 'spec-ide', version: '1' });
    await aliceMcp.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    const found = JSON.stringify(await aliceMcp.callTool({ name: 'search', arguments: { query: 'Orion B0 tape-out date' } }));
    assert.match(found, /MPW-7731/);
    await callback.close();
  });

  it("after SCIM deactivates her, her open page's next request is 401 and she is back at sign-in", async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const { rows } = await runtime.services.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'alice@example.com'`);
    const deactivate = await fetch(`${runtime.url}/scim/v2/Users/${rows[0]!.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
    });
    assert.equal(deactivate.status, 200);
    const page = pages.alice!;
    const next = page.waitForResponse((response) => response.url().includes('/api/conversations'));
    await page.getByLabel('Search conversations').fill('Orion');
    assert.equal((await next).status(), 401);
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: /session has ended|sign in again/i })
      .waitFor();
    // Her MCP client's session ended with her account.
    await assert.rejects(aliceMcp!.listTools());
  });

  it("lists the sign-ins, the SCIM change and the admin's grant in Admin › Audit log, and the CSV export matches", async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const context = await browser.newContext({ acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(runtime.url);
    await page.getByLabel('Email').fill('admin@tapeout.local');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    const rowFor = (action: string, text: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: action, exact: true }) })
        .filter({ hasText: text });
    // Alice signed in twice: in her browser, and to approve her MCP client.
    await rowFor('auth.sso_sign_in', 'alice@example.com').first().waitFor();
    await rowFor('mcp.sign_in_approved', 'alice@example.com').waitFor();
    await rowFor('auth.sso_sign_in', 'bob@example.com').waitFor();
    await rowFor('scim.user_deactivated', 'SCIM').waitFor();
    await rowFor('collection.granted', 'soc-team').waitFor();

    await page.getByLabel('Action').fill('scim');
    await page.getByRole('button', { name: 'Filter' }).click();
    await table.getByRole('row').filter({ hasText: 'auth.sso_sign_in' }).waitFor({ state: 'detached' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = Papa.parse<Record<string, string>>(await readFile((await download.path())!, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const shown = await table.getByRole('rowheader').allTextContents();
    assert.deepEqual(
      csv.map((row) => row.action),
      shown,
    );
    assert.deepEqual(shown, ['scim.user_deactivated']);
    assert.equal(JSON.parse(csv[0]!.details!).changes.active.to, false);

    // Entra ID provisions a user whose userName is not an email, with the name in parts only.
    const provisioned = await fetch(`${runtime.url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'mei.chen',
        emails: [{ primary: true, type: 'work', value: 'mei.chen@example.com' }],
        name: { givenName: '美', familyName: '陈' },
      }),
    });
    assert.equal(provisioned.status, 201, await provisioned.clone().text());
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    const mei = page
      .getByRole('table', { name: 'Users' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'mei.chen@example.com' }) });
    await mei.getByRole('cell', { name: '陈美', exact: true }).waitFor();
    await page.screenshot({ path: 'test-results/admin-users-scim.png' });
    assert.deepEqual(pageErrors, []);
  });
});
