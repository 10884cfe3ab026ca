import mammoth from 'mammoth';
import { ParseError, type ParsedDocument } from './ParsedDocument.ts';
import { parseHtml } from './parseHtml.ts';

/** DOCX through mammoth's semantic HTML (headings, lists, tables), then the HTML parser. */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    throw new ParseError('corrupt_file', `The DOCX cannot be read: ${(error as Error).message}`);
  }
  return parseHtml(`<body>${html}</body>`, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
}
