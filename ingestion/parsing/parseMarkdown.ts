import { marked, type Token, type Tokens } from 'marked';
import type { Block, ParsedDocument } from './ParsedDocument.ts';

/** Inline Markdown to plain text: emphasis and links lose their markup, code spans keep their text. */
function plain(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  return tokens
    .map((token) => ('tokens' in token && token.tokens ? plain(token.tokens, token.raw) : 'text' in token ? token.text : token.raw))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseMarkdown(source: string): ParsedDocument {
  const blocks: Block[] = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      switch (token.type) {
        case 'heading':
          blocks.push({ kind: 'heading', level: token.depth, text: plain(token.tokens, token.text) });
          break;
        case 'paragraph':
        case 'text':
          blocks.push({ kind: 'paragraph', text: plain((token as Tokens.Paragraph).tokens, token.text) });
          break;
        case 'list':
          blocks.push({ kind: 'list', items: (token as Tokens.List).items.map((item) => plain(item.tokens, item.text)) });
          break;
        case 'code':
          blocks.push({ kind: 'code', text: token.text });
          break;
        case 'table': {
          const table = token as Tokens.Table;
          blocks.push({
            kind: 'table',
            rows: [
              table.header.map((cell) => plain(cell.tokens, cell.text)),
              ...table.rows.map((row) => row.map((cell) => plain(cell.tokens, cell.text))),
            ],
          });
          break;
        }
        case 'blockquote':
          walk((token as Tokens.Blockquote).tokens);
          break;
        default:
          break;
      }
    }
  };
  walk(marked.lexer(source));
  const firstHeading = blocks.find((block) => block.kind === 'heading');
  return { title: firstHeading?.kind === 'heading' ? firstHeading.text : '', mimeType: 'text/markdown', blocks };
}
