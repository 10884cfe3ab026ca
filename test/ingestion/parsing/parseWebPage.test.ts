import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParsedDocument } from '../../../ingestion/parsing/ParsedDocument.ts';
import { parseWebPage } from '../../../ingestion/parsing/parseWebPage.ts';

const text = (doc: ParsedDocument) =>
  doc.blocks.map((b) => (b.kind === 'list' ? b.items.join(' ') : b.kind === 'table' ? b.rows.flat().join(' ') : b.text)).join('\n');

const wrapped = (
  title: string,
  lang: string,
  article: string,
) => `<!doctype html><html lang="${lang}"><head><title>${title}</title></head><body>
<div class="sidebar"><ul><li><a href="/a">MENU_ONE</a></li><li><a href="/b">MENU_TWO</a></li></ul></div>
<div id="content">${article}</div>
<div class="footer">FOOTER_TEXT copyright and privacy links</div></body></html>`;

describe('parseWebPage (a crawled page in reader view)', () => {
  it('keeps a Chinese article with its headings and drops the sidebar and footer', () => {
    const doc = parseWebPage(
      wrapped(
        '时钟树 - 设计维基',
        'zh',
        '<h1>时钟树综合</h1><p>时钟树综合之后必须检查偏斜，所有寄存器的时钟偏斜不得超过五十皮秒。</p><h2>复位</h2><p>复位信号保持四千零九十六个周期。</p>',
      ),
    );
    assert.equal(doc.title, '时钟树 - 设计维基');
    assert.match(text(doc), /五十皮秒/);
    assert.match(text(doc), /四千零九十六/);
    assert.doesNotMatch(text(doc), /MENU_ONE|FOOTER_TEXT/);
    assert.ok(doc.blocks.some((b) => b.kind === 'heading' && b.text === '复位'));
  });

  it('keeps an Arabic article and a table in it', () => {
    const doc = parseWebPage(
      wrapped(
        'التوقيت',
        'ar',
        '<p>يجب أن يكون انحراف الساعة أقل من خمسين بيكو ثانية في كل المسجلات بعد التركيب.</p><table><tr><th>الزاوية</th><th>الهامش</th></tr><tr><td>ss</td><td>0.05</td></tr></table>',
      ),
    );
    assert.match(text(doc), /خمسين بيكو ثانية/);
    assert.ok(doc.blocks.some((b) => b.kind === 'table' && b.rows.flat().includes('0.05')));
    assert.doesNotMatch(text(doc), /FOOTER_TEXT/);
  });

  it('reads a page with no article in it whole', () => {
    const doc = parseWebPage('<html><body><ul><li>Only a list</li></ul></body></html>');
    assert.match(text(doc), /Only a list/);
  });
});
