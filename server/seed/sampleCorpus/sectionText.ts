import type { SampleSection } from './SampleDocument.ts';

/** A section of the authored corpus as plain text (benchmarks use it as realistic passages). */
export function sectionText(section: SampleSection): string {
  return [
    section.heading,
    ...(section.paragraphs ?? []),
    ...(section.bullets ?? []).map((bullet) => `- ${bullet}`),
    ...(section.code ? [section.code] : []),
    ...(section.table ?? []).map((row) => row.join(' | ')),
  ].join('\n');
}
