import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../../support/browser.ts';
import { skipOrFail } from '../../support/requireService.ts';
import { createOpenCollection, demoCorpusReady, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const adminPassword = 'e2e admin password';

/**
 * The web app for a Chinese-speaking engineer in Debian's Chromium: the interface in Simplified
 * Chinese from the browser's language, a question typed through an input method (the Enter that
 * confirms a candidate does not send it), the demo's Chinese checklist answering it, then an
 * Arabic answer rendered right to left. Screenshots go to test-results/.
 */
describe('web: every language in Chromium', () => {
  const available = chromiumAvailable();
  let runtime: TestRuntime;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const lastAnswerDone = () =>
    page.waitForFunction(() => [...document.querySelectorAll('article.answer')].every((a) => a.getAttribute('aria-busy') === 'false'));

  before(async () => {
    if (!available) return;
    runtime = await startTestRuntime({ ADMIN_PASSWORD: adminPassword });
    await demoCorpusReady(runtime);
    const arabic = await createOpenCollection(runtime, 'guide-ar');
    await uploadAndWait(
      runtime,
      'guide-ar',
      'guide-ar.md',
      await readFile(new URL('../../fixtures/languages/ar.md', import.meta.url), 'utf8'),
    );
    await runtime.services.assistants.create(systemActor, {
      slug: 'arabic-helper',
      name: 'مساعد التصميم',
      systemPrompt: 'Answer from the sources.',
      collectionIds: [arabic],
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await mkdir('test-results', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await runtime?.dispose();
  });

  it('speaks Simplified Chinese to a Chinese browser, from the sign-in page on', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.goto(runtime.url);
    await page.getByRole('heading', { name: '登录 Tapeout' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.getByLabel('邮箱').fill('admin@tapeout.local');
    await page.getByLabel('密码').fill(adminPassword);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('button', { name: '新对话' }).waitFor();
  });

  it('does not send on the Enter that confirms an input-method candidate', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('radio', { name: /Chip-design helper/ }).check();
    const box = page.getByLabel('消息');
    await box.focus();
    // What a pinyin IME does: composition text, then Enter to pick the candidate (keyCode 229 while composing).
    const cdp = await page.context().newCDPSession(page);
    await box.pressSequentially('LVS 检查');
    await cdp.send('Input.imeSetComposition', { text: 'yunxu', selectionStart: 5, selectionEnd: 5 });
    await cdp.send('Input.imeSetComposition', { text: '允许', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key: 'Enter',
      code: 'Enter',
      windowsVirtualKeyCode: 229,
      nativeVirtualKeyCode: 229,
    });
    await cdp.send('Input.insertText', { text: '允许' });
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      key: 'Enter',
      code: 'Enter',
      windowsVirtualKeyCode: 13,
      nativeVirtualKeyCode: 13,
    });
    await page.waitForTimeout(300);
    assert.equal(await box.inputValue(), 'LVS 检查允许', 'the confirmed text stays in the box');
    assert.equal(await page.locator('article.question').count(), 0, 'nothing was sent');
    await box.pressSequentially('软连接吗？');
    await box.press('Enter');
    await page.locator('article.question').filter({ hasText: 'LVS 检查允许软连接吗？' }).waitFor();
  });

  it("answers the Chinese question from the demo's Chinese checklist, cited and labelled in Chinese", async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    const answer = page.getByRole('article', { name: '回答' });
    await answer.getByRole('button', { name: '[1]' }).first().waitFor();
    await lastAnswerDone();
    const text = (await answer.textContent()) ?? '';
    assert.match(text, /LVS 必须干净，不允许通过阱或衬底的软连接。\s*\[\d\]/);
    assert.match(text, /摘录式回答/);
    assert.match((await answer.getByRole('region', { name: '来源' }).textContent()) ?? '', /流片检查清单（上海团队）/);
    await page.screenshot({ path: 'test-results/chat-zh-CN.png' });
  });

  it('renders an Arabic answer right to left', async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('button', { name: '新对话' }).click();
    await page.getByRole('radio', { name: /مساعد التصميم/ }).check();
    const box = page.getByLabel('消息');
    await box.fill('كيف تصلح مخالفات زمن الثبات؟');
    assert.ok(await box.evaluate((element) => element.matches(':dir(rtl)')), 'the box follows what is typed');
    await box.press('Enter');
    const answer = page.getByRole('article', { name: '回答' });
    await answer.getByRole('button', { name: '[1]' }).first().waitFor();
    await lastAnswerDone();
    const paragraph = answer.locator('.markdown p').first();
    assert.match((await paragraph.textContent()) ?? '', /تُصلح مخالفات زمن الثبات/);
    assert.ok(await paragraph.evaluate((element) => element.matches(':dir(rtl)')), 'the answer reads right to left');
    assert.ok(await page.locator('article.question p').evaluate((element) => element.matches(':dir(rtl)')), 'so does the question');
    assert.ok(
      await answer
        .locator('.sources li')
        .first()
        .evaluate((element) => element.matches(':dir(rtl)')),
      'and the source titles',
    );
    await page.screenshot({ path: 'test-results/chat-arabic.png' });
  });

  it("shows each collection's language in the admin console, in Chinese", async (t) => {
    if (skipOrFail(t, available, `Chromium at ${chromiumPath}`)) return;
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '管理' }).click();
    await page.getByRole('heading', { name: '集合', exact: true }).waitFor();
    const arabic = page.locator('.collection-list > li').filter({ hasText: 'guide-ar' });
    await arabic.filter({ hasText: '阿拉伯语（自动检测）' }).waitFor();
    await page
      .locator('.collection-list > li')
      .filter({ hasText: 'chip-design' })
      .filter({ hasText: /英语(?!（)/ })
      .waitFor();
    await page.screenshot({ path: 'test-results/admin-collections-zh-CN.png' });
    await page.getByLabel('界面语言').selectOption('en');
    await page.getByRole('heading', { name: 'Collections', exact: true }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(pageErrors, []);
  });
});
