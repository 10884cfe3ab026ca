import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium, recordCspViolations } from '../../support/browser.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';

const adminPassword = 'status page admin password';

describe('web: status page in Chromium', () => {
  const available = chromiumAvailable();
  let runtime: TestRuntime;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  let cspViolations: string[] = [];

  before(async () => {
    if (!available) return;
    runtime = await startTestRuntime({ ADMIN_PASSWORD: adminPassword });
    browser = await launchChromium();
    page = await browser.newPage();
    cspViolations = recordCspViolations(page);
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await runtime?.dispose();
  });

  it('shows anybody the overall state, and nothing of where each service runs', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.goto(`${runtime.url}/status`);
    await page.getByRole('heading', { name: 'Tapeout', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Overall: ok' }).waitFor();
    await page.getByText('Sign in as an admin to see each service').waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
  });

  it('shows a signed-in admin every component with its mode and state', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.goto(runtime.url);
    await page.getByLabel('Email').fill('admin@tapeout.local');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${runtime.url}/status`);
    await page.getByRole('status').filter({ hasText: 'Overall: ok' }).waitFor();
    const rows = page.getByRole('row');
    await rows.first().waitFor();
    for (const [component, mode] of [
      ['Database', 'embedded (built in)'],
      ['Job queue', 'in-process'],
      ['LLM', 'none: answers are extractive'],
      ['Embeddings', 'embedded (built in)'],
      ['Reranker', 'embedded (built in)'],
    ]) {
      const row = rows.filter({ has: page.getByRole('rowheader', { name: component, exact: true }) });
      assert.equal(await row.getByRole('cell').nth(0).textContent(), mode);
      assert.equal(await row.getByRole('cell').nth(1).textContent(), 'ok');
    }
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/status-page.png', fullPage: true });
  });

  it('logs no console errors', (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(cspViolations, []);
  });

  it('is served under a Content-Security-Policy that Chromium enforces: an injected inline script does not run', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const response = await page.goto(`${runtime.url}/status`);
    const policy = response!.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self'/);
    assert.match(policy, /frame-ancestors 'none'/);
    await page.addScriptTag({ content: 'window.__inlineRan = true' }).catch(() => undefined);
    assert.equal(await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan), undefined);
    assert.equal(cspViolations.length, 1, 'Chromium reported the blocked script');
  });
});
