import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ParseError, type Block, type ParsedDocument } from './ParsedDocument.ts';

interface TextItem {
  str: string;
  hasEOL?: boolean;
  /** [a, b, c, d, x, y]: y is the baseline in PDF units, growing upwards. */
  transform?: number[];
  height?: number;
}

interface Line {
  text: string;
  y: number;
  height: number;
}

/**
 * A PDF's text layer, page by page, as paragraphs carrying their page number. A PDF whose pages
 * hold no text (a scan) fails with no_text_layer rather than indexing nothing.
 */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  let pdf: PDFDocumentProxy;
  try {
    pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (error) {
    // pdfjs does not export its PasswordException class; its name is stable.
    if ((error as Error).name === 'PasswordException') throw new ParseError('encrypted_file', 'The PDF is password-protected.');
    throw new ParseError('corrupt_file', `The PDF cannot be read: ${(error as Error).message}`);
  }
  try {
    const blocks: Block[] = [];
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent();
      for (const paragraph of toParagraphs(toLines(content.items as TextItem[])))
        blocks.push({ kind: 'paragraph', text: paragraph, page: pageNumber });
      page.cleanup();
    }
    if (blocks.length === 0) throw new ParseError('no_text_layer', 'The PDF has no text layer (it looks scanned); run OCR on it first.');
    const metadata = await pdf.getMetadata().catch(() => undefined);
    const title = String((metadata?.info as { Title?: string } | undefined)?.Title ?? '').trim();
    return { title, mimeType: 'application/pdf', blocks };
  } finally {
    await pdf.destroy();
  }
}

function toLines(items: TextItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const item of items) {
    if (item.str) {
      current ??= { text: '', y: item.transform?.[5] ?? 0, height: item.height || 10 };
      current.text += item.str;
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Lines into paragraphs. PDFs have no paragraph marks, only positions: a vertical gap clearly
 * larger than the line spacing (or a blank line) starts a new paragraph.
 */
function toParagraphs(lines: Line[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join(' ').replace(/\s+/g, ' ').trim();
    if (text) paragraphs.push(text);
    current = [];
  };
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    if (previous && previous.y - line.y > 1.6 * Math.max(previous.height, line.height)) flush();
    if (!line.text.trim()) flush();
    else current.push(line.text.trim());
  });
  flush();
  return paragraphs;
}
