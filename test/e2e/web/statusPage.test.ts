import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../../support/browser.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';

describe('web: status page in Chromium', () => {
  const available = chromiumAvailable();
  let runtime: TestRuntime;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async () => {
    if (!available) return;
    runtime = await startTestRuntime();
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await runtime?.dispose();
  });

  it('shows every component with its mode and state', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.goto(`${runtime.url}/status`);
    await page.getByRole('heading', { name: 'Tapeout', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Overall: ok' }).waitFor();
    const rows = page.getByRole('row');
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
  });
});
