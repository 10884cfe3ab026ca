import type { SampleDocument } from '../SampleDocument.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline `code` spans in the authored text become <code> elements. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export function renderHtml(doc: SampleDocument): string {
  const body: string[] = [`<h1>${escape(doc.title)}</h1>`, `<p>${inline(doc.summary)}</p>`];
  for (const section of doc.sections) {
    body.push(`<h2>${escape(section.heading)}</h2>`);
    for (const paragraph of section.paragraphs ?? []) body.push(`<p>${inline(paragraph)}</p>`);
    if (section.bullets) body.push(`<ul>${section.bullets.map((bullet) => `<li>${inline(bullet)}</li>`).join('')}</ul>`);
    if (section.code) body.push(`<pre><code>${escape(section.code)}</code></pre>`);
    if (section.table) {
      const [header, ...rows] = section.table;
      body.push(
        `<table><thead><tr>${header!.map((cell) => `<th>${inline(cell)}</th>`).join('')}</tr></thead><tbody>` +
          rows.map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
    }
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escape(doc.title)}</title></head>\n<body>\n<nav>Engineering wiki</nav>\n<main>\n${body.join('\n')}\n</main>\n<footer>Internal. Do not distribute.</footer>\n</body></html>\n`;
}
