import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtml } from './render/html.ts';
import { renderMarkdown } from './render/markdown.ts';
import type { SampleCollection, SampleDocument } from './SampleDocument.ts';

export interface WrittenSample {
  document: SampleDocument;
  path: string;
  contentHash: string;
  byteSize: number;
}

async function render(doc: SampleDocument): Promise<Buffer> {
  switch (doc.format) {
    case 'md':
      return Buffer.from(renderMarkdown(doc));
    case 'html':
      return Buffer.from(renderHtml(doc));
    // docx and pdfkit load only when a sample is written (a first start): about 0.3 s of CPU at
    // every start of every process otherwise.
    case 'docx':
      return (await import('./render/docx.ts')).renderDocx(doc);
    case 'pdf':
      return (await import('./render/pdf.ts')).renderPdf(doc);
  }
}

/** Renders a collection's documents to real files under `dir/<collection slug>/`. */
export async function writeSampleCollection(collection: SampleCollection, dir: string): Promise<WrittenSample[]> {
  const target = path.join(dir, collection.slug);
  await mkdir(target, { recursive: true });
  const written: WrittenSample[] = [];
  for (const document of collection.documents) {
    const bytes = await render(document);
    const filePath = path.join(target, document.file);
    await writeFile(filePath, bytes);
    written.push({
      document,
      path: filePath,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      byteSize: bytes.length,
    });
  }
  return written;
}
