import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ParsedDocument } from './ParsedDocument.ts';
import { parseHtml } from './parseHtml.ts';

/**
 * A crawled page as a reader view shows it: Readability keeps the article and drops menus,
 * sidebars, cookie banners and footers, which would otherwise be indexed on every page of a
 * site and crowd out real passages. A page Readability finds no article in (a short index page,
 * a table of links) is read whole, as an upload is. linkedom is the DOM: a fraction of jsdom's
 * weight, and enough for Readability, which only reads and moves nodes.
 */
const chromeSelector = 'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"]';

export function parseWebPage(html: string): ParsedDocument {
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() ?? '';
  // Readability keeps a short page's chrome with its text, so the page's own landmarks go first
  // (a header inside the article is its heading, and stays).
  for (const chrome of document.querySelectorAll(chromeSelector)) {
    if (!chrome.parentElement?.closest('article, main, [role="main"]')) chrome.remove();
  }
  // Readability changes the document it reads; the fallback parses the original text again. Below
  // charThreshold it tries again with its filters relaxed, which brings the chrome back: the default
  // (500 characters) does that to every short page of a wiki, so only a near-empty result retries.
  const article = new Readability(document as unknown as Document, { keepClasses: false, charThreshold: 20 }).parse();
  const kept = article?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  if (!article?.content || kept.length === 0) return parseHtml(html);
  const parsed = parseHtml(`<html><head><title></title></head><body>${article.content}</body></html>`);
  return { ...parsed, title: title || article.title?.trim() || parsed.title };
}
