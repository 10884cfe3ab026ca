import { decodeHTML } from 'entities';
import { marked, type Token, type Tokens } from 'marked';
import type { Block, ParsedDocument } from './ParsedDocument.ts';
import { parseHtml } from './parseHtml.ts';

/**
 * Inline Markdown to plain text, as CommonMark renders it: emphasis and links lose their markup,
 * inline HTML tags are dropped (their text stays), entity references become their characters,
 * code spans keep their text as written.
 */
function plain(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return decodeHTML(fallback);
  return tokens
    .map((token) => {
      if (token.type === 'html') return (token as Tokens.HTML).block ? htmlText(token.text) : '';
      if (token.type === 'codespan') return (token as Tokens.Codespan).text;
      if ('tokens' in token && token.tokens) return plain(token.tokens, token.raw);
      return decodeHTML('text' in token ? token.text : token.raw);
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of an HTML fragment, without its markup, scripts or styles. */
function htmlText(html: string): string {
  return parseHtml(html)
    .blocks.map((block) =>
      block.kind === 'list' ? block.items.join(' ') : block.kind === 'table' ? block.rows.flat().join(' ') : block.text,
    )
    .join(' ');
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
        case 'html':
          // A raw HTML block (paragraphs pasted as <p>…</p>) keeps its text, parsed as HTML is:
          // scripts, styles and page chrome are dropped, and no markup reaches the index.
          blocks.push(...parseHtml(token.text).blocks);
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
