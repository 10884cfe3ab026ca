/** The structure every parser produces, whatever the format, for the structure-aware chunker. */
export type Block =
  | { kind: 'heading'; level: number; text: string; page?: number }
  | { kind: 'paragraph'; text: string; page?: number }
  | { kind: 'list'; items: string[]; page?: number }
  /** `startLine`: where it starts in its file (1-based), when the file is code. */
  | { kind: 'code'; text: string; page?: number; startLine?: number }
  /** First row is the header; the chunker repeats it when a table is split. */
  | { kind: 'table'; rows: string[][]; page?: number };

export interface ParsedDocument {
  title: string;
  mimeType: string;
  blocks: Block[];
}

export const parseErrorCodes = [
  'unsupported_type',
  'binary_as_text',
  'empty_document',
  'no_text_layer',
  'corrupt_file',
  'encrypted_file',
  'zip_bomb',
  'archive_too_large',
  'parse_timeout',
  'parse_memory_exceeded',
] as const;

export type ParseErrorCode = (typeof parseErrorCodes)[number];

/** A permanent failure: retrying cannot help, so the job fails at once with this code. */
export class ParseError extends Error {
  constructor(
    readonly code: ParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}
