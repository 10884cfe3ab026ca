import Papa from 'papaparse';
import { ParseError, type ParsedDocument } from './ParsedDocument.ts';

/** A CSV becomes one table whose first row is the header, so every chunk of rows keeps it. */
export function parseCsv(text: string): ParsedDocument {
  const result = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const rows = result.data.filter((row) => row.some((cell) => cell.trim()));
  if (rows.length === 0) throw new ParseError('empty_document', 'The CSV has no rows.');
  return { title: '', mimeType: 'text/csv', blocks: [{ kind: 'table', rows }] };
}
