import { ParseError, type ParsedDocument } from './ParsedDocument.ts';
import { parseCsv } from './parseCsv.ts';
import { parseDocx } from './parseDocx.ts';
import { parseHtml } from './parseHtml.ts';
import { parseMarkdown } from './parseMarkdown.ts';
import { parsePdf } from './parsePdf.ts';
import { sniffFormat } from './sniffFormat.ts';

/** Sniffs, parses and checks that something indexable came out. */
export async function parseDocument(bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  const format = await sniffFormat(bytes, filename);
  const text = () => new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const parsed =
    format === 'pdf'
      ? await parsePdf(bytes)
      : format === 'docx'
        ? await parseDocx(bytes)
        : format === 'html'
          ? parseHtml(text())
          : format === 'markdown'
            ? parseMarkdown(text())
            : format === 'csv'
              ? parseCsv(text())
              : { title: '', mimeType: 'text/plain', blocks: text().split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).map((p) => ({ kind: 'paragraph' as const, text: p })) };
  const hasText = parsed.blocks.some((block) => (block.kind === 'list' ? block.items.join('') : block.kind === 'table' ? block.rows.flat().join('') : block.text).trim());
  if (!hasText) throw new ParseError('empty_document', `${filename} contains no text to index.`);
  return { ...parsed, title: parsed.title || filename.replace(/\.[^.]+$/, '') };
}
