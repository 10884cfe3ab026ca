import { parse, type HTMLElement } from 'node-html-parser';
import type { Block, ParsedDocument } from './ParsedDocument.ts';

const skipped = new Set(['script', 'style', 'nav', 'footer', 'header', 'noscript', 'template', 'svg', 'form', 'button']);
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/** HTML (and DOCX, through mammoth's HTML) into blocks; page chrome such as nav and footer is dropped. */
export function parseHtml(html: string, mimeType = 'text/html'): ParsedDocument {
  const root = parse(html, { comment: false, blockTextElements: { pre: true, script: false, style: false } });
  const blocks: Block[] = [];
  const visit = (element: HTMLElement) => {
    for (const node of element.childNodes) {
      if (node.nodeType === 3) {
        const text = clean(node.rawText);
        if (text) blocks.push({ kind: 'paragraph', text: decode(text) });
        continue;
      }
      if (node.nodeType !== 1) continue;
      const child = node as HTMLElement;
      const tag = child.tagName?.toLowerCase() ?? '';
      if (skipped.has(tag)) continue;
      const heading = /^h([1-6])$/.exec(tag);
      if (heading) blocks.push({ kind: 'heading', level: Number(heading[1]), text: clean(child.text) });
      else if (tag === 'p' || tag === 'blockquote' || tag === 'dd' || tag === 'dt') pushText(blocks, child.text);
      else if (tag === 'pre') blocks.push({ kind: 'code', text: child.text.replace(/\n+$/, '') });
      else if (tag === 'ul' || tag === 'ol') {
        const items = child
          .querySelectorAll('li')
          .map((li) => clean(li.text))
          .filter(Boolean);
        if (items.length) blocks.push({ kind: 'list', items });
      } else if (tag === 'table') {
        const rows = child.querySelectorAll('tr').map((tr) => tr.querySelectorAll('th,td').map((cell) => clean(cell.text)));
        if (rows.length) blocks.push({ kind: 'table', rows });
      } else visit(child);
    }
  };
  visit(root.querySelector('main') ?? root.querySelector('body') ?? root);
  const title =
    clean(root.querySelector('title')?.text ?? '') ||
    (blocks.find((b) => b.kind === 'heading') as { text: string } | undefined)?.text ||
    '';
  return { title, mimeType, blocks };
}

function pushText(blocks: Block[], text: string) {
  const cleaned = clean(text);
  if (cleaned) blocks.push({ kind: 'paragraph', text: cleaned });
}

function decode(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
