import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { ParseError } from './ParsedDocument.ts';
import { codeExtensions } from './parseCode.ts';

export type DocumentFormat = 'pdf' | 'docx' | 'pptx' | 'html' | 'markdown' | 'text' | 'csv' | 'code';

export const mimeTypeOf: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  csv: 'text/csv',
  code: 'text/plain',
};

const textExtensions: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.log': 'text',
  '.csv': 'csv',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * Decides a file's format from its bytes, never from its name alone. Bytes that are text (valid
 * UTF-8, no NUL byte) are text, whatever signature their first bytes happen to spell: sentences
 * such as "Our free calculator…" read as a QuickTime atom ("free" at offset 4) to a magic-number
 * sniffer. A binary signature (file-type) decides only for bytes that are not text: PDF, DOCX and
 * PPTX are parsed, anything else is refused. The extension, or the content, chooses between
 * Markdown, HTML, CSV, source code and plain text.
 */
export async function sniffFormat(bytes: Uint8Array, filename: string): Promise<DocumentFormat> {
  if (bytes.length === 0) throw new ParseError('empty_document', `${filename} is empty.`);
  const claimed = path.extname(filename).toLowerCase();
  const head = Buffer.from(bytes.subarray(0, 64 * 1024));
  const isText = !head.includes(0) && isUtf8(head);
  const claimsBinary = claimed === '.pdf' || claimed === '.docx' || claimed === '.pptx';
  if (isText && !claimsBinary) return textFormat(head, claimed);
  // A PDF may be all ASCII, so text named .pdf still goes to the sniffer.
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.mime === 'application/pdf') return 'pdf';
  if (detected?.ext === 'docx') return 'docx';
  if (detected?.ext === 'pptx') return 'pptx';
  if (detected && !isText) throw new ParseError('unsupported_type', `${filename} is a ${detected.mime} file, which Tapeout cannot index.`);
  if (claimsBinary) {
    throw new ParseError(
      'corrupt_file',
      `${filename} is named ${claimed} but its content is not a ${claimed.slice(1).toUpperCase()} file.`,
    );
  }
  throw new ParseError('binary_as_text', `${filename} is not text (it contains binary data), whatever its name says.`);
}

function textFormat(head: Buffer, claimed: string): DocumentFormat {
  const byExtension = textExtensions[claimed];
  if (byExtension) return byExtension;
  if (claimed in codeExtensions) return 'code';
  return /^\s*(<!doctype html|<html[\s>])/i.test(head.toString('utf8', 0, 1024)) ? 'html' : 'text';
}

/** UTF-8 validity of a prefix; a multi-byte character cut at the end of the prefix is allowed. */
function isUtf8(buffer: Buffer): boolean {
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  const replacements = decoded.match(/\uFFFD/g)?.length ?? 0;
  return replacements === 0 || (replacements === 1 && decoded.endsWith('\uFFFD'));
}
