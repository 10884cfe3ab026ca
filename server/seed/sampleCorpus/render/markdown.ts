import type { SampleDocument } from '../SampleDocument.ts';

export function renderMarkdown(doc: SampleDocument): string {
  const out = [`# ${doc.title}`, '', doc.summary, ''];
  for (const section of doc.sections) {
    out.push(`## ${section.heading}`, '');
    for (const paragraph of section.paragraphs ?? []) out.push(paragraph, '');
    if (section.bullets) out.push(...section.bullets.map((bullet) => `- ${bullet}`), '');
    if (section.code) out.push('```', section.code, '```', '');
    if (section.table) {
      const [header, ...rows] = section.table;
      out.push(`| ${header!.join(' | ')} |`, `| ${header!.map(() => '---').join(' | ')} |`);
      out.push(...rows.map((row) => `| ${row.join(' | ')} |`), '');
    }
  }
  return out.join('\n');
}
