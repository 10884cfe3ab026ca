import path from 'node:path';
import type { Block, ParsedDocument } from './ParsedDocument.ts';

/** Source files chunked as code: by line, each chunk knowing its lines, and by symbol where the language is known. */
export const codeExtensions: Record<string, CodeLanguage> = {
  '.v': 'verilog',
  '.vh': 'verilog',
  '.sv': 'verilog',
  '.svh': 'verilog',
  '.tcl': 'tcl',
  '.sdc': 'tcl',
  '.xdc': 'tcl',
  '.upf': 'tcl',
  '.py': 'python',
  '.c': 'other',
  '.h': 'other',
  '.cc': 'other',
  '.cpp': 'other',
  '.hpp': 'other',
  '.js': 'other',
  '.ts': 'other',
  '.go': 'other',
  '.rs': 'other',
  '.java': 'other',
  '.sh': 'other',
  '.mk': 'other',
  '.yaml': 'other',
  '.yml': 'other',
  '.toml': 'other',
  '.vhd': 'other',
  '.vhdl': 'other',
};

type CodeLanguage = 'verilog' | 'tcl' | 'python' | 'other';

/** A top-level symbol: its heading ("module pll_ctrl") and the lines it spans (0-based, end exclusive). */
interface Symbol {
  heading: string;
  start: number;
  end: number;
}

const verilogStart =
  /^\s*(?:(?:virtual|static|automatic)\s+)*(module|macromodule|interface|package|program|class|checker|primitive)\s+(?:automatic\s+|static\s+)?([A-Za-z_][\w$]*)/;
const verilogEnd = /\bend(module|interface|package|program|class|checker|primitive)\b/g;

/**
 * A source file as blocks: the path as the document's heading, then each top-level symbol
 * (Verilog/SystemVerilog modules, interfaces, packages and classes; Tcl procs; Python defs and
 * classes) under a heading of its own, so a chunk's heading path says which file and which
 * symbol it is from; code between symbols stays under the file. Each code block knows its first
 * line, so citations name line ranges.
 */
export function parseCode(source: string, filename: string): ParsedDocument {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const language = codeExtensions[path.extname(filename).toLowerCase()] ?? 'other';
  const symbols = withLeadingComments(
    language === 'verilog'
      ? verilogSymbols(lines)
      : language === 'tcl'
        ? tclSymbols(lines)
        : language === 'python'
          ? pythonSymbols(lines)
          : [],
    lines,
    commentLine[language],
  );
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: filename }];
  const code = (start: number, end: number) => {
    while (end > start && !lines[end - 1]!.trim()) end--;
    const text = lines.slice(start, end).join('\n');
    if (text.trim()) blocks.push({ kind: 'code', text, startLine: start + 1 });
  };
  let at = 0;
  for (const symbol of symbols) {
    if (symbol.start > at) {
      // Code between symbols belongs to the file: a heading of the same level ends the symbol's section.
      blocks.push({ kind: 'heading', level: 2, text: '(file scope)' });
      code(at, symbol.start);
    }
    blocks.push({ kind: 'heading', level: 2, text: symbol.heading });
    code(symbol.start, symbol.end);
    at = symbol.end;
  }
  if (at < lines.length) {
    if (symbols.length) blocks.push({ kind: 'heading', level: 2, text: '(file scope)' });
    code(at, lines.length);
  }
  return { title: filename, mimeType: 'text/plain', blocks };
}

const commentLine: Record<CodeLanguage, RegExp | undefined> = {
  verilog: /^\s*(\/\/|\/\*|\*)/,
  tcl: /^\s*#/,
  python: /^\s*#/,
  other: undefined,
};

/**
 * The comment lines right above a symbol (no blank line between) are its documentation, as
 * `// pll_lock_err rises when…` above a module is: they go with the symbol, not the file scope.
 */
function withLeadingComments(symbols: Symbol[], lines: string[], comment: RegExp | undefined): Symbol[] {
  if (!comment) return symbols;
  let floor = 0;
  for (const [k, symbol] of symbols.entries()) {
    const declared = symbol.start;
    while (symbol.start > floor && comment.test(lines[symbol.start - 1]!)) symbol.start--;
    if (k > 0) symbols[k - 1]!.end = Math.min(symbols[k - 1]!.end, symbol.start);
    floor = declared + 1;
  }
  return symbols;
}

function verilogSymbols(lines: string[]): Symbol[] {
  const symbols: Symbol[] = [];
  let open: { heading: string; start: number } | undefined;
  let depth = 0;
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    const start = verilogStart.exec(code);
    if (start) {
      if (depth === 0) open = { heading: `${start[1]} ${start[2]}`, start: i };
      depth++;
    }
    // A declaration may end on its own line (`class txn; endclass`).
    for (const _end of code.matchAll(verilogEnd)) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && open) {
        symbols.push({ heading: open.heading, start: open.start, end: i + 1 });
        open = undefined;
      }
    }
  });
  if (open) symbols.push({ heading: open.heading, start: open.start, end: lines.length });
  return symbols;
}

/** Tcl procs at the top level, each to the line where its braces balance. */
function tclSymbols(lines: string[]): Symbol[] {
  const symbols: Symbol[] = [];
  for (let i = 0; i < lines.length; i++) {
    const proc = /^proc\s+(\S+)/.exec(lines[i]!);
    if (!proc) continue;
    let balance = 0;
    let end = i;
    for (; end < lines.length; end++) {
      for (const char of lines[end]!.replace(/\\./g, '')) {
        if (char === '{') balance++;
        else if (char === '}') balance--;
      }
      if (balance <= 0 && lines[end]!.includes('}')) break;
    }
    symbols.push({ heading: `proc ${proc[1]}`, start: i, end: Math.min(end + 1, lines.length) });
    i = end;
  }
  return symbols;
}

/** Python defs and classes at the top level (with their decorators), each to the next top-level statement. */
function pythonSymbols(lines: string[]): Symbol[] {
  const symbols: Symbol[] = [];
  const topLevel = (line: string) => /^\S/.test(line) && !line.startsWith('#');
  for (let i = 0; i < lines.length; i++) {
    const definition = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/.exec(lines[i]!);
    if (!definition) continue;
    let start = i;
    while (start > 0 && lines[start - 1]!.startsWith('@')) start--;
    let end = i + 1;
    while (end < lines.length && !topLevel(lines[end]!)) end++;
    // Blank lines and comments before the next statement stay with the symbol.
    symbols.push({ heading: `${definition[1]} ${definition[2]}`, start, end });
    i = end - 1;
  }
  // Decorators read as the next symbol's start: drop them from the one before.
  for (let k = 1; k < symbols.length; k++) symbols[k - 1]!.end = Math.min(symbols[k - 1]!.end, symbols[k]!.start);
  return symbols;
}
