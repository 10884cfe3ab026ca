/**
 * A mixed corpus for the ingestion benchmark: documents assembled from the demo corpus's
 * sections (so the text reads like engineering notes), each with its own block names and
 * revision numbers so no two documents share a content hash, rendered to the formats Tapeout
 * ingests. Streams to disk one file at a time, so generating it needs little memory.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as pptxgenjs from 'pptxgenjs';
import type { SampleDocument, SampleSection } from '../../server/seed/sampleCorpus/SampleDocument.ts';
import { sampleCollections } from '../../server/seed/sampleCorpus/index.ts';
import { renderDocx } from '../../server/seed/sampleCorpus/render/docx.ts';
import { renderHtml } from '../../server/seed/sampleCorpus/render/html.ts';
import { renderMarkdown } from '../../server/seed/sampleCorpus/render/markdown.ts';
import { renderPdf } from '../../server/seed/sampleCorpus/render/pdf.ts';
import { sectionText } from '../../server/seed/sampleCorpus/sectionText.ts';

const PptxGenJS = pptxgenjs.default as unknown as typeof pptxgenjs.default.default;

export interface CorpusSpec {
  documents: number;
  sectionsPerDocument: number;
}

export interface CorpusManifest extends CorpusSpec {
  bytes: number;
  formats: Record<string, number>;
}

/** Share of each format, in a cycle of 100 documents. */
const formatCycle: [string, number][] = [
  ['md', 55],
  ['html', 15],
  ['txt', 10],
  ['csv', 5],
  ['docx', 7],
  ['pdf', 6],
  ['pptx', 2],
];
const cycle = formatCycle.flatMap(([format, share]) => Array.from({ length: share }, () => format));
const sections = sampleCollections.flatMap((c) => c.documents.flatMap((d) => d.sections));

/** A small deterministic PRNG (mulberry32), so the corpus is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vary(section: SampleSection, doc: number, index: number): SampleSection {
  const tag = (text: string) => `${text} (block u_blk${doc}_${index}, rev ${doc % 7}.${index})`;
  return {
    heading: `${section.heading} ${doc}.${index}`,
    ...(section.paragraphs ? { paragraphs: section.paragraphs.map(tag) } : {}),
    ...(section.bullets ? { bullets: section.bullets.map(tag) } : {}),
    ...(section.code ? { code: section.code } : {}),
    ...(section.table ? { table: section.table.map((row, r) => (r === 0 ? row : row.map((cell) => `${cell} ${doc}`))) } : {}),
  };
}

export function benchDocument(doc: number, spec: CorpusSpec): SampleDocument {
  const next = random(doc + 1);
  const picked = Array.from({ length: spec.sectionsPerDocument }, (_, i) => vary(sections[Math.floor(next() * sections.length)]!, doc, i));
  const format = cycle[doc % cycle.length]!;
  return {
    file: `doc-${String(doc).padStart(5, '0')}.${format}`,
    format: format as SampleDocument['format'],
    title: `Engineering note ${doc}`,
    summary: `Notes for project ${doc}.`,
    sections: picked,
  };
}

async function render(doc: SampleDocument): Promise<string | Buffer> {
  switch (doc.file.split('.').pop()) {
    case 'md':
      return renderMarkdown(doc);
    case 'html':
      return renderHtml(doc);
    case 'txt':
      return [doc.title, doc.summary, ...doc.sections.map(sectionText)].join('\n\n');
    case 'csv':
      return [
        'block,check,owner,status',
        ...doc.sections.flatMap((s, i) =>
          (s.paragraphs ?? [s.heading]).map((p) => `u_blk${i},"${p.replace(/"/g, '""')}",team-${i % 5},open`),
        ),
      ].join('\n');
    case 'docx':
      return renderDocx(doc);
    case 'pdf':
      return renderPdf(doc);
    default:
      return renderPptx(doc);
  }
}

async function renderPptx(doc: SampleDocument): Promise<Buffer> {
  const deck = new PptxGenJS();
  deck.title = doc.title;
  for (const section of doc.sections) {
    const slide = deck.addSlide();
    slide.addText(section.heading, { x: 0.5, y: 0.2, w: 9, h: 0.8 });
    slide.addText(sectionText(section).split('\n').slice(1).join('\n'), { x: 0.5, y: 1.1, w: 9, h: 4 });
  }
  return (await deck.write({ outputType: 'nodebuffer' })) as Buffer;
}

/** Writes the corpus to `dir` unless a corpus of the same spec is already there. */
export async function generateCorpus(dir: string, spec: CorpusSpec): Promise<CorpusManifest> {
  const manifestPath = path.join(dir, 'manifest.json');
  const existing = await readFile(manifestPath, 'utf8')
    .then((text) => JSON.parse(text) as CorpusManifest)
    .catch(() => undefined);
  if (existing && existing.documents === spec.documents && existing.sectionsPerDocument === spec.sectionsPerDocument) return existing;
  await mkdir(path.join(dir, 'files'), { recursive: true });
  const manifest: CorpusManifest = { ...spec, bytes: 0, formats: {} };
  for (let doc = 0; doc < spec.documents; doc++) {
    const document = benchDocument(doc, spec);
    const content = await render(document);
    await writeFile(path.join(dir, 'files', document.file), content);
    manifest.bytes += Buffer.byteLength(content);
    const format = document.file.split('.').pop()!;
    manifest.formats[format] = (manifest.formats[format] ?? 0) + 1;
  }
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return manifest;
}
