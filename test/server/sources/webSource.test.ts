import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { textPdf } from '../../support/officeFixtures.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { findRun } from '../../../server/sources/sourceRepository.ts';
import { citationsFor, syncAndIngest } from '../../support/sourceSync.ts';
import { buildAssistant, buildCollection } from '../../support/factories.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';
import { TestWebSite } from '../../support/testWebSite.ts';

/** A page as wikis serve them: the article among a menu, a cookie banner and a footer, all plain divs, on every page. */
const page = (title: string, article: string, links: string[] = []) => `<!doctype html>
<html><head><title>${title} - Silicon Wiki</title></head><body>
<div id="cookie-banner" class="banner">Zanzibar cookie settings: accept all cookies to continue browsing the Silicon Wiki.</div>
<div class="sidebar menu"><ul>${links.map((href) => `<li><a href="${href}">${href}</a></li>`).join('')}
<li><a href="/other/outside.html">Outside</a></li><li><a href="http://example.invalid/">Elsewhere</a></li></ul></div>
<div class="content"><h1>${title}</h1>${article}</div>
<div class="site-footer"><p>Zanzibar legal footer. Copyright 2026 Silicon Wiki. Privacy policy. Terms of use. Contact the wiki team.</p></div>
</body></html>`;

const paragraphs = (...texts: string[]) => texts.map((text) => `<p>${text}</p>`).join('');

const pllV1 = paragraphs(
  'The PLL control block watches the feedback divider against the reference clock on every edge.',
  'The pll_lock_err flag rises when the loop loses lock for 64 reference cycles, and firmware must then re-run the calibration.',
  'Lock is declared again after 200 microseconds of stable phase error, measured by the lock detector.',
);

describe('a web source', () => {
  let harness: TaskHarness;
  let site: TestWebSite;
  let sourceId: string;

  before(async () => {
    site = await TestWebSite.start();
    const links = [
      '/docs/pll.html',
      '/docs/reset.html',
      '/docs/private/secret.html',
      '/docs/moved',
      '/docs/datasheet.pdf',
      '/docs/logo.png',
    ];
    site.pages.set('/robots.txt', {
      type: 'text/plain',
      body: `User-agent: *\nDisallow: /docs/private/\n\nSitemap: ${site.url}/sitemap.xml\n`,
    });
    site.pages.set('/sitemap.xml', {
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.url}/docs/orphan.html</loc></url></urlset>`,
    });
    site.pages.set('/docs/', {
      body: page(
        'Design wiki',
        paragraphs('This wiki collects the design notes of the SoC team: clocks, resets and the datasheet.'),
        links,
      ),
    });
    site.pages.set('/docs/pll.html', { body: page('PLL lock', pllV1, links) });
    site.pages.set('/docs/reset.html', {
      body: page(
        'Reset sequencing',
        paragraphs('The por_n reset is held for 4096 cycles of the always-on clock before the cores start.'),
        links,
      ),
    });
    site.pages.set('/docs/orphan.html', {
      body: page(
        'Pad ring',
        paragraphs('Only the sitemap lists this page: the pad ring uses the io_ring_v3 library from the foundry.'),
        links,
      ),
    });
    site.pages.set('/docs/private/secret.html', { body: page('Secret', paragraphs('The private page says tapeout_codename_obsidian.')) });
    site.pages.set('/docs/moved', { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    site.pages.set('/docs/datasheet.pdf', {
      type: 'application/pdf',
      body: await textPdf('The SerDes lane runs at 32 GT/s with the serdes_cal_done status bit.'),
    });
    site.pages.set('/docs/logo.png', { type: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
    harness = await startTaskHarness({ CONNECTOR_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    await buildCollection(harness.services, { slug: 'wiki', grants: { everyone: 'read' } });
    await buildAssistant(harness.services, { slug: 'wiki-helper', collections: ['wiki'] });
  });
  after(async () => {
    await harness?.dispose();
    await site?.close();
  });

  const storedUrls = async () =>
    (
      await harness.services.db.query<{ url: string }>(`SELECT origin->>'path' AS url FROM documents WHERE source = 'source' ORDER BY 1`)
    ).rows.map((row) => row.url.slice(site.url.length));
  const chunkTexts = async () => (await harness.services.db.query<{ text: string }>('SELECT text FROM chunks')).rows.map((row) => row.text);

  it('crawls the start page, its links and the sitemap, as robots.txt allows, and says what it left out', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'web',
      collection: 'wiki',
      name: 'silicon-wiki',
      url: `${site.url}/docs/`,
      settings: {},
    });
    sourceId = source.id;
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(await storedUrls(), ['/docs/', '/docs/datasheet.pdf', '/docs/orphan.html', '/docs/pll.html', '/docs/reset.html']);
    assert.deepEqual({ added: done.added, changed: done.changed, deleted: done.deleted }, { added: 5, changed: 0, deleted: 0 });
    assert.deepEqual(done.errors.map((e) => [e.item.slice(site.url.length), e.code]).sort(), [
      ['/docs/logo.png', 'unsupported_type'],
      ['/docs/moved', 'address_not_allowed'],
      ['/docs/private/secret.html', 'robots_disallowed'],
    ]);
    assert.equal(site.requestsOf('/docs/private/secret.html').length, 0, 'a disallowed page is never requested');
    assert.equal(site.requestsOf('/other/outside.html').length, 0, 'a page outside the start directory is not crawled');
    assert.match(done.errors.find((e) => e.code === 'address_not_allowed')!.message, /169\.254\.169\.254/);
  });

  it('indexes the article, not the menus, banner and footer around it', async () => {
    const texts = await chunkTexts();
    assert.ok(texts.some((text) => text.includes('pll_lock_err')));
    assert.deepEqual(
      texts.filter((text) => /Zanzibar/.test(text)),
      [],
    );
    assert.ok(
      texts.some((text) => text.includes('serdes_cal_done')),
      'the linked PDF is read like an upload',
    );
  });

  it('answers with a citation naming the page URL and linking to it', async () => {
    const cited = (await citationsFor(harness, 'wiki-helper', 'When does pll_lock_err rise?')).find(
      (c) => c.origin?.path === `${site.url}/docs/pll.html`,
    );
    assert.ok(cited);
    assert.equal(cited.origin!.link, `${site.url}/docs/pll.html`);
    assert.equal(cited.origin!.source, 'silicon-wiki');
    assert.equal(cited.origin!.kind, 'web');
    assert.match(cited.snippet, /64 reference cycles/);
  });

  it('re-crawls with conditional requests: a changed page is stored again, a 404 is deleted, a 503 keeps the page it had', async () => {
    site.pages.set('/docs/pll.html', { body: page('PLL lock', pllV1.replace('64 reference cycles', '128 reference cycles'), []) });
    site.pages.delete('/docs/reset.html');
    site.pages.set('/docs/orphan.html', { status: 503, body: 'busy' });
    const before = site.requests.length;
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(
      { added: done.added, changed: done.changed, deleted: done.deleted, failed: done.failed },
      { added: 0, changed: 1, deleted: 1, failed: 2 },
    );
    assert.deepEqual(await storedUrls(), ['/docs/', '/docs/datasheet.pdf', '/docs/orphan.html', '/docs/pll.html']);
    const second = site.requests.slice(before);
    assert.ok(second.find((r) => r.path === '/docs/datasheet.pdf')?.headers['if-none-match'], 'asked conditionally');
    assert.equal(second.find((r) => r.path === '/docs/datasheet.pdf')?.status, 304);
    const cited = (await citationsFor(harness, 'wiki-helper', 'How many reference cycles before pll_lock_err rises?')).find((c) =>
      c.origin?.path?.endsWith('/docs/pll.html'),
    );
    assert.match(cited!.snippet, /128 reference cycles/);
    assert.ok(
      !(await chunkTexts()).some((text) => text.includes('64 reference cycles') || text.includes('por_n')),
      'only the new fact is left',
    );
  });

  it('stops at the page limit, says so, and keeps the stored pages it did not reach', async () => {
    await harness.services.syncedSources.update(systemActor, sourceId, { settings: { maxPages: 2 } });
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.deleted, 0);
    assert.ok(done.errors.some((e) => e.code === 'page_limit'));
    assert.deepEqual(await storedUrls(), ['/docs/', '/docs/datasheet.pdf', '/docs/orphan.html', '/docs/pll.html']);
  });

  it('sends the token of a source that has one, and reads the pages it opens', async () => {
    site.pages.set('/members/', {
      authorization: 'Bearer wiki-token-123',
      body: page('Members', paragraphs('The members area says the tape-out review is on Thursday in room 4.')),
    });
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'web',
      collection: 'wiki',
      name: 'members',
      url: `${site.url}/members/`,
      settings: { sitemap: false },
      credentials: { token: 'wiki-token-123' },
    });
    const done = await syncAndIngest(harness, run.id);
    assert.deepEqual({ status: done.status, added: done.added, failed: done.failed }, { status: 'succeeded', added: 1, failed: 0 });
    assert.equal(site.requestsOf('/members/').at(-1)?.status, 200);
    await harness.services.syncedSources.delete(systemActor, source.id);
  });

  it('reads a page served in GBK, as many Chinese intranet sites still are, into UTF-8 text', async () => {
    // "时钟偏斜" (clock skew) in GBK; the page declares its charset in Content-Type only.
    const skew = Buffer.from([0xca, 0xb1, 0xd6, 0xd3, 0xc6, 0xab, 0xd0, 0xb1]);
    site.pages.set('/gbk/', {
      type: 'text/html; charset=GBK',
      body: Buffer.concat([
        Buffer.from('<!doctype html><html><head><title>STA</title></head><body><div class="content"><h1>STA</h1><p>'),
        skew,
        Buffer.from(' must stay under 50 ps on every register of the clock tree after CTS.</p></div></body></html>'),
      ]),
    });
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'web',
      collection: 'wiki',
      name: 'gbk-site',
      url: `${site.url}/gbk/`,
      settings: { sitemap: false },
    });
    assert.equal((await syncAndIngest(harness, run.id)).added, 1);
    assert.ok((await chunkTexts()).some((text) => text.includes('时钟偏斜 must stay under 50 ps')));
    await harness.services.syncedSources.delete(systemActor, source.id);
  });

  it('refuses a start URL at a private address that is not allowed, and settings it does not know', async () => {
    await assert.rejects(
      harness.services.syncedSources.create(systemActor, {
        kind: 'web',
        collection: 'wiki',
        name: 'meta',
        url: 'http://169.254.169.254/',
        settings: {},
      }),
      /private or loopback address/,
    );
    await assert.rejects(
      harness.services.syncedSources.create(systemActor, {
        kind: 'web',
        collection: 'wiki',
        name: 'b',
        url: `${site.url}/docs/`,
        settings: { branch: 'main' },
      }),
      /Web settings: : Unrecognized key/,
    );
  });
});

describe('a web crawl past CONNECTOR_MAX_SYNC_BYTES', () => {
  it('fails the run with sync_too_large and deletes nothing', async () => {
    const site = await TestWebSite.start();
    const harness = await startTaskHarness({ CONNECTOR_ALLOWED_HOSTS: '127.0.0.1', CONNECTOR_MAX_SYNC_BYTES: '4096' });
    try {
      const filler = paragraphs('The scan chains are balanced to at most two hundred flops per chain in every block.'.repeat(12));
      site.pages.set('/big/', { body: page('Index', filler, ['/big/a.html', '/big/b.html']) });
      site.pages.set('/big/a.html', { body: page('A', filler) });
      site.pages.set('/big/b.html', { body: page('B', filler) });
      await buildCollection(harness.services, { slug: 'big', grants: { everyone: 'read' } });
      const { run } = await harness.services.syncedSources.create(systemActor, {
        kind: 'web',
        collection: 'big',
        name: 'big-site',
        url: `${site.url}/big/`,
        settings: { sitemap: false },
      });
      await assert.rejects(syncAndIngest(harness, run.id), /sync_too_large/);
      const failed = (await findRun(harness.services.db, run.id))!;
      assert.equal(failed.status, 'failed');
      assert.match(failed.error!.message, /CONNECTOR_MAX_SYNC_BYTES \(4096 bytes\)/);
    } finally {
      await harness.dispose();
      await site.close();
    }
  });
});
