import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium, recordCspViolations } from '../../support/browser.ts';
import { startEmulator } from '../../support/emulator.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const password = 'e2e member password';
// A document that tries to run script wherever its text is shown.
const hostileNotes = [
  'Bring-up operators open the reset console page <img src=x onerror="window.__xss=1"> before power-on.',
  'The reset console page lists <script>window.__xss=2</script> every reset domain of the Orion SoC during bring-up.',
  'Operators confirm each reset domain on the console [before power-on](javascript:window.__xss=3) and sign the bring-up log.',
].join('\n\n');

/** The chat against an LLM endpoint (the NIM emulator, streaming slowly): stop, regenerate, keyboard, hostile text, the LLM going down. */
describe('web: chat with an LLM in Chromium', () => {
  const available = chromiumAvailable();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let runtime: TestRuntime;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  let cspViolations: string[] = [];
  const dialogs: string[] = [];
  const answer = () => page.getByRole('article', { name: 'Answer' }).last();
  const streamingDone = () =>
    page.waitForFunction(() =>
      [...document.querySelectorAll('article[aria-label="Answer"]')].every((a) => a.getAttribute('aria-busy') === 'false'),
    );
  const ask = async (question: string) => {
    await page.getByLabel('Message').fill(question);
    await page.getByLabel('Message').press('Enter');
  };

  before(async () => {
    if (!available) return;
    emulator = await startEmulator({ tokensPerSecond: 12 });
    runtime = await startTestRuntime({ SEED_DEMO: 'false', LLM_BASE_URL: emulator.url, LLM_MODEL: 'meta/llama-3.1-8b-instruct' });
    await createOpenCollection(runtime, 'bring-up');
    await runtime.services.assistants.createFromInput(systemActor, {
      slug: 'bring-up-helper',
      name: 'Bring-up helper',
      description: 'Lab bring-up notes',
      systemPrompt: 'Answer from the sources; cite them as [n].',
      collections: ['bring-up'],
    });
    await uploadAndWait(runtime, 'bring-up', 'reset-console.txt', hostileNotes);
    await runtime.services.users.create(systemActor, { email: 'member@example.com', role: 'member', password });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    cspViolations = recordCspViolations(page);
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('dialog', (dialog) => (dialogs.push(dialog.message()), void dialog.dismiss()));
    await page.goto(runtime.url);
    await page.getByLabel('Email').fill('member@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it('shows the answer growing token by token, and stops it on Stop, keeping what came', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await ask('What do operators open on the reset console page before power-on?');
    const article = answer();
    await page.waitForFunction(() => (document.querySelector('article[aria-label="Answer"] .markdown')?.textContent ?? '').length > 10);
    const early = (await article.locator('.markdown').textContent())!.length;
    await page.waitForTimeout(700);
    assert.equal(await article.getAttribute('aria-busy'), 'true');
    assert.ok((await article.locator('.markdown').textContent())!.length > early, 'more text arrived while streaming');
    await page.getByRole('button', { name: 'Stop' }).click();
    await article.getByText('Stopped before it finished.').waitFor();
    assert.equal(await article.getByText('Extractive answer').count(), 0, 'an LLM answer is not labelled extractive');
  });

  it('regenerates the stopped answer into a complete, cited one', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await answer().getByRole('button', { name: 'Regenerate' }).click();
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await streamingDone();
    assert.equal(await page.getByRole('article', { name: 'Answer' }).count(), 1, 'replaced, not added');
    assert.equal(await page.getByRole('article', { name: 'Your question' }).count(), 1);
    await answer().getByRole('button', { name: '[1]' }).first().waitFor();
    assert.equal(await answer().getByText('Stopped before it finished.').count(), 0);
  });

  it('never runs HTML or script from a document: not in the answer, not in the source viewer', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    assert.equal(await answer().locator('img, script, a[href^="javascript"]').count(), 0);
    // By keyboard: focus the citation (its preview appears), open it with Enter, close with Escape.
    const citation = answer().locator('.markdown').getByRole('button', { name: '[1]' }).first();
    await citation.focus();
    await page.getByRole('tooltip').waitFor();
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog');
    await viewer.getByLabel('Cited passage').waitFor();
    assert.match((await viewer.textContent())!, /<img src=x onerror="window.__xss=1">/, 'shown as text');
    assert.equal(await viewer.locator('img, script').count(), 0);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '[1]', 'focus returns to the citation');
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    assert.deepEqual(dialogs, []);
  });

  it('says so when the LLM is down, answering from the sources instead', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await emulator.emulator.close();
    await ask('Who signs the bring-up log?');
    await page.getByText('The language model is unavailable right now').waitFor({ timeout: 60_000 });
    await streamingDone();
    await answer().getByText('Extractive answer').waitFor();
    await page.reload();
    await answer().getByText('The language model is unavailable right now').waitFor();
  });

  it('logs no console errors, and no Content-Security-Policy violation in any step', (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(cspViolations, []);
  });
});
