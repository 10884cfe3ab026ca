import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Block, ParsedDocument } from '../parsing/ParsedDocument.ts';
import type { Chunk } from '../../server/corpus/Chunk.ts';
import { countTokens } from '../../server/language/countTokens.ts';

export interface ChunkingOptions {
  /** Target chunk size in tokens. */
  chunkSize: number;
  /** Tokens of the previous chunk repeated at the start of the next, within a section. */
  chunkOverlap: number;
}

/** A piece that is never cut: a sentence group, a list item, a table row or a code line. */
interface Unit {
  text: string;
  tokens: number;
  page: number | null;
  /** Table rows carry their header, repeated when a table continues in a new chunk. */
  header?: string;
  /** A code line's number in its file. */
  line?: number;
}

/**
 * Structure-aware chunking: each chunk stays within one section and records its heading path;
 * lists, tables and code are split between items, rows and lines, never inside them; a table
 * continued in the next chunk repeats its header row. Only a single paragraph longer than a
 * chunk is cut, by LangChain's recursive splitter at sentence and word boundaries.
 */
export async function chunkDocument(document: ParsedDocument, options: ChunkingOptions): Promise<Chunk[]> {
  const splitter = new RecursiveCharacterTextSplitter({
    chunkSize: options.chunkSize,
    chunkOverlap: options.chunkOverlap,
    lengthFunction: countTokens,
    // Sentence ends first, in the scripts that write them without a space (。！？) too, then clauses.
    separators: ['\n\n', '\n', '. ', '。', '！', '？', '؟ ', '। ', '; ', '；', ', ', '，', '、', '، ', ' ', ''],
  });
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let section: Unit[] = [];
  const flushSection = () => {
    // Formats without headings (PDF, CSV, text) still say which document a chunk is from.
    chunks.push(...pack(section, path.length ? path.map((h) => h.text) : [document.title], options));
    section = [];
  };
  for (const block of document.blocks) {
    if (block.kind === 'heading') {
      flushSection();
      while (path.length && path.at(-1)!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      continue;
    }
    section.push(...(await unitsOf(block, options.chunkSize, splitter)));
  }
  flushSection();
  return chunks;
}

async function unitsOf(
  block: Exclude<Block, { kind: 'heading' }>,
  chunkSize: number,
  splitter: RecursiveCharacterTextSplitter,
): Promise<Unit[]> {
  const page = block.page ?? null;
  const unit = (text: string, header?: string): Unit => ({ text, tokens: countTokens(text), page, ...(header ? { header } : {}) });
  switch (block.kind) {
    case 'paragraph': {
      if (countTokens(block.text) <= chunkSize) return [unit(block.text)];
      return (await splitter.splitText(block.text)).map((piece) => unit(piece));
    }
    case 'list':
      return block.items.map((item) => unit(`- ${item}`));
    case 'code':
      return block.text
        .split('\n')
        .map((line, i) => (block.startLine === undefined ? unit(line) : { ...unit(line), line: block.startLine + i }));
    case 'table': {
      const [header, ...rows] = block.rows.map((row) => row.join(' | '));
      if (!header) return [];
      return rows.length ? rows.map((row) => unit(row, header)) : [unit(header)];
    }
  }
}

function pack(units: Unit[], headingPath: string[], options: ChunkingOptions): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Unit[] = [];
  let tokens = 0;
  const emit = () => {
    if (current.length === 0) return;
    const lines: string[] = [];
    current.forEach((u, i) => {
      if (u.header && (i === 0 || current[i - 1]!.header !== u.header)) lines.push(u.header);
      lines.push(u.text);
    });
    const text = lines.join('\n');
    const numbered = current.filter((u) => u.line !== undefined);
    chunks.push({
      text,
      headingPath,
      page: current.find((u) => u.page !== null)?.page ?? null,
      tokenCount: countTokens(text),
      ...(numbered.length ? { lines: { start: numbered[0]!.line!, end: numbered.at(-1)!.line! } } : {}),
    });
  };
  for (const u of units) {
    const cost = u.tokens + (u.header && !current.some((c) => c.header === u.header) ? countTokens(u.header) : 0);
    if (current.length && tokens + cost > options.chunkSize) {
      emit();
      // Carry the tail of the previous chunk as overlap (not table rows: their header restarts).
      const carried: Unit[] = [];
      let carriedTokens = 0;
      for (let i = current.length - 1; i >= 0 && !current[i]!.header; i--) {
        if (carriedTokens + current[i]!.tokens > options.chunkOverlap) break;
        carried.unshift(current[i]!);
        carriedTokens += current[i]!.tokens;
      }
      current = carried;
      tokens = carriedTokens;
    }
    current.push(u);
    tokens += cost;
  }
  emit();
  return chunks;
}
