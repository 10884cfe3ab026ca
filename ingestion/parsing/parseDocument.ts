import { ParseError, type ParsedDocument } from './ParsedDocument.ts';
import { parseCode } from './parseCode.ts';
import { parseCsv } from './parseCsv.ts';
import { parseDocx } from './parseDocx.ts';
import { parseHtml } from './parseHtml.ts';
import { parseWebPage } from './parseWebPage.ts';
import { parseMarkdown } from './parseMarkdown.ts';
import { parsePdf } from './parsePdf.ts';
import { parsePptx } from './parsePptx.ts';
import { sniffFormat, type DocumentFormat } from './sniffFormat.ts';
import { assertSafeZip } from './zipGuard.ts';

const decodeText = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');

export interface ParseOptions {
  /** HTML is a crawled web page: keep its main content only (parseHtml). */
  readerView?: boolean;
}

const parsers: Record<
  DocumentFormat,
  (bytes: Uint8Array, filename: string, options: ParseOptions) => ParsedDocument | Promise<ParsedDocument>
> = {
  pdf: parsePdf,
  docx: async (bytes) => (await assertSafeZip(bytes), parseDocx(bytes)),
  pptx: async (bytes) => (await assertSafeZip(bytes), parsePptx(bytes)),
  html: (bytes, _filename, options) => (options.readerView ? parseWebPage(decodeText(bytes)) : parseHtml(decodeText(bytes))),
  markdown: (bytes) => parseMarkdown(decodeText(bytes)),
  csv: (bytes) => parseCsv(decodeText(bytes)),
  code: (bytes, filename) => parseCode(decodeText(bytes), filename),
  text: (bytes) => ({
    title: '',
    mimeType: 'text/plain',
    blocks: decodeText(bytes)
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => ({ kind: 'paragraph' as const, text: p })),
  }),
};

/** Sniffs, parses and checks that something indexable came out. Run it through the extraction pool, which bounds its time and memory. */
export async function parseDocument(bytes: Uint8Array, filename: string, options: ParseOptions = {}): Promise<ParsedDocument> {
  const parsed = await parsers[await sniffFormat(bytes, filename)](bytes, filename, options);
  const hasText = parsed.blocks.some((block) =>
    (block.kind === 'list' ? block.items.join('') : block.kind === 'table' ? block.rows.flat().join('') : block.text).trim(),
  );
  if (!hasText) throw new ParseError('empty_document', `${filename} contains no text to index.`);
  return { ...parsed, title: parsed.title || filename.replace(/\.[^.]+$/, '') };
}
