import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium, recordCspViolations } from '../../support/browser.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { demoCorpusReady, startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { TestGitRepository } from '../../support/testGitRepository.ts';
import { TestWebSite } from '../../support/testWebSite.ts';
import { ConfluenceStandIn } from '../../support/confluenceStandIn.ts';

const adminPassword = 'e2e admin password';
const memberPassword = 'e2e member password';

/**
 * The web app as a new user meets it, in Debian's Chromium: the bootstrap admin signs in, asks
 * the chip-design helper, opens a citation, uploads files in the admin console; a member cannot
 * reach the console. Screenshots go to test-results/.
 */
describe('web: chat and admin console in Chromium', () => {
  const available = chromiumAvailable();
  let runtime: TestRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  let cspViolations: string[] = [];
  // Chromium logs every 4xx response as a console error; only the steps that provoke one on purpose allow it.
  let refusalsExpected = false;
  const tokenFrames: string[] = [];
  const progressFrames: string[] = [];
  const sourceFrames: string[] = [];
  let repositories: string;
  let site: TestWebSite;
  let confluence: ConfluenceStandIn;

  const streamingDone = () =>
    page.waitForFunction(() =>
      [...document.querySelectorAll('article[aria-label="Answer"]')].every((a) => a.getAttribute('aria-busy') === 'false'),
    );
  const signIn = async (email: string, password: string) => {
    await page.goto(runtime.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  before(async () => {
    if (!available) return;
    repositories = await mkdtemp(path.join(os.tmpdir(), 'tapeout-e2e-repos-'));
    const repo = await TestGitRepository.init(path.join(repositories, 'soc'));
    await repo.write(
      'rtl/pll_ctrl.sv',
      "module pll_ctrl (input logic clk, output logic pll_lock_err);\n  assign pll_lock_err = 1'b0;\nendmodule\n",
    );
    await repo.write('README.md', '# SoC\n\nRTL of the SoC.\n');
    repo.commit('rtl');
    confluence = await ConfluenceStandIn.start({ deployment: 'cloud' });
    confluence.spaces.set('LAB', { id: '7', name: 'Lab', permissions: [{ type: 'group', id: 'lab-techs-id' }] });
    confluence.pages.set('41', {
      id: '41',
      space: 'LAB',
      title: 'Probe card budget',
      ancestors: [],
      version: 1,
      body: '<p>The probe card budget is reviewed by the lab leads every quarter.</p>',
      restrictions: { users: [], groups: [{ id: 'lab-leads-id', name: 'lab-leads' }] },
    });
    site = await TestWebSite.start();
    site.pages.set('/lab/', {
      body: '<!doctype html><html><head><title>Lab wiki</title></head><body><div class="content"><h1>Lab wiki</h1><p>Book the probe station two days ahead in the lab calendar.</p></div></body></html>',
    });
    runtime = await startTestRuntime({
      ADMIN_PASSWORD: adminPassword,
      CONNECTOR_LOCAL_ROOTS: repositories,
      CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
    });
    await runtime.services.users.create(systemActor, {
      email: 'member@example.com',
      name: 'Mia Member',
      role: 'member',
      password: memberPassword,
    });
    // The demo corpus is ingested in the background at first start; the chat needs it.
    await demoCorpusReady(runtime);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page = await context.newPage();
    cspViolations = recordCspViolations(page);
    page.on('console', (message) => {
      const refusal = /Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
      if (message.type() === 'error' && !(refusal && refusalsExpected)) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"chat:token"')) tokenFrames.push(String(payload));
        if (String(payload).includes('"ingestion:progress"')) progressFrames.push(String(payload));
        if (String(payload).includes('"source:progress"')) sourceFrames.push(String(payload));
      }),
    );
    await mkdir('test-results', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await runtime?.dispose();
    if (repositories) await rm(repositories, { recursive: true, force: true });
    await site?.close();
    await confluence?.close();
  });

  it('refuses a wrong password in plain words, then signs the admin in', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.goto(runtime.url);
    await page.getByLabel('Email').fill('admin@tapeout.local');
    await page.getByLabel('Password').fill('not the password');
    refusalsExpected = true;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    refusalsExpected = false;
    await signIn('admin@tapeout.local', adminPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).waitFor();
  });

  it('asks the chip-design helper and gets a streamed, cited answer labelled extractive', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('radio', { name: /Chip-design helper/ }).check();
    const message = page.getByLabel('Message');
    await message.fill('Which suffix do registered signals use?');
    await message.press('Shift+Enter');
    await message.pressSequentially('Answer briefly.');
    assert.equal(await message.inputValue(), 'Which suffix do registered signals use?\nAnswer briefly.');
    await message.press('Enter');
    const answer = page.getByRole('article', { name: 'Answer' });
    await answer.getByRole('button', { name: '[1]' }).first().waitFor();
    await page.waitForFunction(() => document.querySelector('article[aria-label="Answer"]')?.getAttribute('aria-busy') === 'false');
    assert.match((await answer.textContent()) ?? '', /_q/);
    assert.match((await answer.textContent()) ?? '', /Extractive answer/);
    assert.ok(tokenFrames.length >= 1, 'the answer arrived as chat:token events over socket.io');
    assert.equal(await message.inputValue(), '', 'Enter sent the message and cleared the box');
    // The conversation is listed, titled by its question.
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('listitem')
      .filter({ hasText: 'Which suffix do registered signals use?' })
      .waitFor();
    await page.screenshot({ path: 'test-results/chat.png' });
  });

  it('previews a citation on hover and opens it in the source viewer with a download of the original file', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const citation = page.getByRole('article', { name: 'Answer' }).getByRole('button', { name: '[1]' }).first();
    await citation.hover();
    await page.getByRole('tooltip').filter({ hasText: 'RTL Coding Guidelines' }).waitFor();
    await citation.click();
    const viewer = page.getByRole('dialog', { name: /\[1\]/ });
    await viewer.waitFor();
    await viewer.getByLabel('Cited passage').waitFor();
    assert.match((await viewer.textContent()) ?? '', /rtl-coding-guidelines\.md · collection chip-design/);
    await page.screenshot({ path: 'test-results/source-viewer.png' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      viewer.getByRole('link', { name: 'Download original file' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'rtl-coding-guidelines.md');
    assert.match(await readFile((await download.path())!, 'utf8'), /Registered signals end in `_q`/);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  it('stores feedback with a comment', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const answer = page.getByRole('article', { name: 'Answer' });
    await answer.getByRole('button', { name: 'Not helpful' }).click();
    await answer.getByLabel('Comment (optional)').fill('Should mention _d too');
    await answer.getByRole('button', { name: 'Send comment' }).click();
    await answer.getByRole('status').filter({ hasText: 'Comment sent.' }).waitFor();
    const { rows } = await runtime.services.db.query('SELECT rating, comment FROM feedback');
    assert.deepEqual(rows, [{ rating: -1, comment: 'Should mention _d too' }]);
  });

  it('copies an answer, and searches, renames and deletes conversations', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.url });
    await page.getByRole('article', { name: 'Answer' }).getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /Registered signals end in/);

    const list = page.getByRole('navigation', { name: 'Conversations' });
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('What is clk_div_en?');
    await page.getByLabel('Message').press('Enter');
    await streamingDone();
    await list.getByRole('listitem').filter({ hasText: 'What is clk_div_en?' }).waitFor();
    const search = page.getByLabel('Search conversations');
    await search.fill('clk_div');
    await list.getByRole('listitem').filter({ hasText: 'What is clk_div_en?' }).waitFor();
    await list.getByRole('listitem').filter({ hasText: 'Which suffix' }).waitFor({ state: 'detached' });
    await search.fill('no such words anywhere');
    await list.getByText('No conversation matches.').waitFor();
    await search.fill('');

    page.once('dialog', (dialog) => void dialog.accept());
    await list.getByRole('button', { name: 'Delete "What is clk_div_en?"' }).click();
    await list.getByRole('listitem').filter({ hasText: 'What is clk_div_en?' }).waitFor({ state: 'detached' });
    await page.getByRole('group', { name: 'Choose an assistant' }).waitFor();

    await list.getByRole('button', { name: /^Rename "Which suffix/ }).click();
    await list.getByLabel('New title').fill('Suffix rules');
    await list.getByLabel('New title').press('Enter');
    await list.getByRole('button', { name: /^Suffix rules/ }).click();
    await page.getByRole('article', { name: 'Answer' }).getByText('Registered signals end in').waitFor();
  });

  it('uploads a file in the admin console and watches it become ready; a bad file shows its reason', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Collections' }).waitFor();
    await page.getByRole('heading', { name: 'Chip design handbook' }).waitFor();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Collection').selectOption('chip-design');
    await page.getByRole('table', { name: 'Documents' }).waitFor();
    refusalsExpected = true;
    await page.getByLabel('Choose files').setInputFiles([
      {
        name: 'bring-up-notes.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from('# Bring-up\n\n## Clocks\n\nThe PLL locks within 40 microseconds of `pll_en` rising.\n'),
      },
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: randomBytes(4096) },
    ]);
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await uploads
      .getByRole('listitem')
      .filter({ hasText: 'bring-up-notes.md' })
      .getByRole('status')
      .filter({ hasText: /^ready$/ })
      .waitFor({ timeout: 60_000 });
    const refused = uploads.getByRole('listitem').filter({ hasText: 'scan.pdf' }).getByRole('status');
    await refused.filter({ hasText: /^failed: / }).waitFor();
    assert.match((await refused.textContent()) ?? '', /^failed: .*(PDF|corrupt|damaged)/i);
    refusalsExpected = false;
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'bring-up-notes.md' }) });
    await row
      .getByRole('cell')
      .filter({ hasText: /^ready$/ })
      .waitFor();
    assert.equal(await row.getByRole('cell').nth(1).textContent(), '1', 'version 1');
    assert.ok(Number(await row.getByRole('cell').nth(2).textContent()) >= 1, 'has chunks');
    await page.screenshot({ path: 'test-results/admin.png' });
  });

  it('takes several dropped files at once, each with its own live status fed by socket.io progress events', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const longNotes = `# Lab notes\n\n${Array.from({ length: 120 }, (_, i) => `## Run ${i}\n\nRun ${i} measured the core rail at ${700 + i} mV under the ${i % 7}-th workload.`).join('\n\n')}\n`;
    const dropped = await page.evaluateHandle(
      (files) => {
        const transfer = new DataTransfer();
        for (const [name, text] of files) transfer.items.add(new File([text], name, { type: 'text/markdown' }));
        return transfer;
      },
      [
        ['lab-notes.md', longNotes],
        ['errata.md', '# Errata\n\nThe UART divider resets to 0x1B, not 0x1A.\n'],
      ] as const,
    );
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    const uploads = page.getByRole('list', { name: 'Uploads' });
    for (const name of ['lab-notes.md', 'errata.md']) {
      await uploads
        .getByRole('listitem')
        .filter({ hasText: name })
        .getByRole('status')
        .filter({ hasText: /^ready$/ })
        .waitFor({ timeout: 60_000 });
    }
    const labNotes = progressFrames.filter((frame) => frame.includes('lab-notes.md'));
    assert.ok(
      labNotes.some((frame) => frame.includes('"state":"completed"')),
      'the completion came over socket.io',
    );
    assert.ok(labNotes.length >= 3, `stage by stage (${labNotes.length} progress events)`);
  });

  it('creates a collection and grants it to a group from the console', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Collections' }).click();
    const form = page.getByRole('form', { name: 'New collection' });
    await form.getByLabel('Name').fill('Bring-up lab');
    await form.getByLabel('Slug').fill('bring-up-lab');
    await form.getByRole('button', { name: 'Create collection' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Bring-up lab' }) });
    await card.getByText('0 of 0 documents ready').waitFor();
    await card.getByRole('button', { name: 'Settings' }).click();
    await card.getByText('Admins only: no group is granted this collection.').waitFor();
    await card.getByLabel('Group').selectOption('everyone');
    await card.getByRole('button', { name: 'Grant' }).click();
    await card.getByText('everyone: read').waitFor();
  });

  it('shows usage with its charts', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Usage' }).click();
    const figures = page.locator('.figures');
    await figures.waitFor();
    assert.match((await figures.textContent()) ?? '', /Questions1/);
    await page.getByRole('heading', { name: 'Questions per day' }).waitFor();
    await page.locator('.recharts-bar-rectangle').first().waitFor();
  });

  it('tries an assistant from its editor', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Assistants' }).click();
    await page.getByRole('navigation', { name: 'Assistants' }).getByRole('button', { name: 'Chip-design helper' }).click();
    await page.getByRole('form', { name: 'Edit Chip-design helper' }).getByLabel('System prompt').waitFor();
    const tryIt = page.getByRole('region', { name: 'Try it' });
    await tryIt.getByLabel('Message').fill('What does the UART divider reset to?');
    await tryIt.getByLabel('Message').press('Enter');
    await tryIt.getByRole('article', { name: 'Answer' }).getByText('0x1B').first().waitFor();
  });

  it('binds a Slack channel to an assistant and an audience', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await runtime.services.groups.create(systemActor, { name: 'rtl-team' });
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Slack' }).click();
    await page.getByText('Slack is not connected').waitFor();
    const form = page.getByRole('form', { name: 'Bind a channel' });
    await form.getByLabel('Channel ID').fill('C0123ABCD');
    await form.getByLabel('Channel name (for this list)').fill('rtl-help');
    await form.getByLabel('Assistant').selectOption('chip-design-helper');
    await form.getByLabel('Audience').selectOption('rtl-team');
    await form.getByRole('button', { name: 'Bind' }).click();
    const row = page.getByRole('table', { name: 'Channel bindings' }).getByRole('row').filter({ hasText: 'C0123ABCD' });
    await row.getByRole('cell', { name: 'chip-design-helper' }).waitFor();
    await row.getByRole('cell', { name: 'rtl-team' }).waitFor();
    assert.equal((await runtime.services.slackBindings.settingsFor('C0123ABCD'))?.audienceGroupId !== undefined, true);
    await row.getByRole('button', { name: 'Unbind C0123ABCD' }).click();
    await page.getByText('No channel is bound').waitFor();
  });

  it('shows the demo repository synced, adds a Git repository and a web site and watches their first syncs live; a path outside the local roots is refused', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Sources' }).click();
    const sources = page.getByRole('table', { name: 'Sources' });
    await sources.getByRole('row').filter({ hasText: 'orion-rtl' }).locator('[data-run-status="succeeded"]').waitFor();
    const form = page.getByRole('form', { name: 'Add a Git repository' });
    await form.getByLabel('Collection').selectOption('chip-design');
    await form.getByLabel('Name', { exact: true }).fill('soc-rtl');
    await form.getByLabel('Repository URL').fill(`file://${path.join(repositories, 'soc')}`);
    await form.getByLabel(/^Branch/).fill('main');
    await form.getByRole('button', { name: 'Add and sync' }).click();
    const row = sources.getByRole('row').filter({ hasText: 'soc-rtl' });
    await row.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await row.getByText('+2 ~0 −0, 0 skipped, 0 failed').waitFor();
    assert.ok(sourceFrames.length > 0, 'the run reached the page over socket.io');
    await page.screenshot({ path: 'test-results/sources.png' });

    await form.getByLabel('Kind').selectOption('web');
    const webForm = page.getByRole('form', { name: 'Add a web site' });
    await webForm.getByLabel('Name', { exact: true }).fill('lab-wiki');
    await webForm.getByLabel(/^Start URL/).fill(`${site.url}/lab/`);
    await webForm.getByLabel('Link depth').fill('2');
    await webForm.getByRole('button', { name: 'Add and sync' }).click();
    const webRow = sources.getByRole('row').filter({ hasText: 'lab-wiki' });
    await webRow.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await webRow.getByText('+1 ~0 −0, 0 skipped, 0 failed').waitFor();
    const [web] = (await runtime.services.syncedSources.list(systemActor)).filter((s) => s.name === 'lab-wiki');
    assert.equal(web?.settings.maxDepth, 2);

    await webForm.getByLabel('Kind').selectOption('confluence');
    const confluenceForm = page.getByRole('form', { name: 'Add Confluence spaces' });
    await confluenceForm.getByLabel('Name', { exact: true }).fill('lab-confluence');
    await confluenceForm.getByLabel('Site URL').fill(confluence.url);
    await confluenceForm.getByLabel(/^Space keys/).fill('LAB');
    await confluenceForm.getByRole('button', { name: 'Add and sync' }).click();
    const confluenceRow = sources.getByRole('row').filter({ hasText: 'lab-confluence' });
    await confluenceRow.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await confluenceRow.getByRole('button', { name: 'Sync permissions' }).click();
    await confluenceRow.getByText('(permissions only)').waitFor({ timeout: 30_000 });
    await confluenceRow.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await confluenceRow.getByText('0 documents changed readers').waitFor();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Collection').selectOption('chip-design');
    const restricted = page.getByRole('table', { name: 'Documents' }).getByRole('row').filter({ hasText: 'Probe card budget' });
    await restricted.getByText('Restricted to: group lab-leads (no Tapeout group matches)').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/restricted-document.png' });
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Sources' }).click();

    refusalsExpected = true;
    // Back on the page, the form starts again at its first kind, Git.
    await form.getByLabel('Name', { exact: true }).fill('etc');
    await form.getByLabel('Repository URL').fill('file:///etc');
    await form.getByRole('button', { name: 'Add and sync' }).click();
    await page.getByRole('alert').filter({ hasText: 'not under a directory listed in CONNECTOR_LOCAL_ROOTS' }).waitFor();
    refusalsExpected = false;
    assert.deepEqual((await runtime.services.syncedSources.list(systemActor)).map((s) => s.name).sort(), [
      'lab-confluence',
      'lab-wiki',
      'orion-rtl',
      'soc-rtl',
    ]);
  });

  it('keeps a member out of the admin console: no link, a plain refusal, 403 from its APIs', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const { rows } = await runtime.services.db.query<{ titles: string[] }>(`SELECT array_agg(title) AS titles FROM conversations`);
    assert.deepEqual(rows[0]!.titles, ['Suffix rules'], 'the try-it scratch conversation went with the panel');
    await signIn('member@example.com', memberPassword);
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0);
    await page.goto(`${runtime.url}/admin/documents`);
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    refusalsExpected = true;
    const statuses = await page.evaluate(async () =>
      Promise.all(['/api/users', '/api/groups', '/api/usage', '/api/slack/bindings'].map(async (path) => (await fetch(path)).status)),
    );
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    refusalsExpected = false;
  });

  it('opens a source viewer link on its own, as Slack answers link citations', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const { rows } = await runtime.services.db.query<{ id: string }>(
      `SELECT c.id::text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.filename = 'rtl-coding-guidelines.md' ORDER BY c.ordinal LIMIT 1`,
    );
    await page.goto(`${runtime.url}/sources/${rows[0]!.id}`);
    const viewer = page.getByRole('dialog', { name: 'RTL Coding Guidelines' });
    await viewer.getByLabel('Cited passage').waitFor();
    await page.keyboard.press('Escape');
    await page.getByLabel('Message').waitFor();
  });

  it('fits a phone screen', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(runtime.url);
    const box = await page.getByLabel('Message').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the message box is on screen');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  });

  it('logs no console errors, and no Content-Security-Policy violation in any step', (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(cspViolations, []);
  });
});
