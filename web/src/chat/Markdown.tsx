import { createContext, useContext, useMemo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import tcl from 'highlight.js/lib/languages/tcl';
import verilog from 'highlight.js/lib/languages/verilog';
import { common } from 'lowlight';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';

const citationHref = /^#cite-(\d+)$/;

/**
 * Citation markers ("[2]") become links to `#cite-2`, which render as citation buttons. Code
 * (fenced or inline) is left as written, so `a[1]` in Verilog stays an index.
 */
function linkCitations(text: string, known: Set<number>): string {
  return text
    .split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/\[(\d{1,3})\](?!\()/g, (marker, n: string) => (known.has(Number(n)) ? `[\\[${n}\\]](#cite-${n})` : marker)),
    )
    .join('');
}

const CitationRenderer = createContext<(n: number) => ReactNode>(() => null);

// Module-level, so their identity never changes: new component functions on each render would
// remount every citation button, losing its focus and preview while an answer streams.
const components: Components = {
  a: function Link({ href, children }) {
    const renderCitation = useContext(CitationRenderer);
    const cited = href ? citationHref.exec(href) : null;
    if (cited) return <>{renderCitation(Number(cited[1]))}</>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  img: ({ alt }) => <span className="image-placeholder">[image: {alt}]</span>,
  // Each block takes its direction from its own text: an Arabic or Hebrew paragraph reads right
  // to left, an English one beside it left to right; code keeps the default.
  p: ({ node: _node, ...props }) => <p dir="auto" {...props} />,
  li: ({ node: _node, ...props }) => <li dir="auto" {...props} />,
  blockquote: ({ node: _node, ...props }) => <blockquote dir="auto" {...props} />,
  h1: ({ node: _node, ...props }) => <h1 dir="auto" {...props} />,
  h2: ({ node: _node, ...props }) => <h2 dir="auto" {...props} />,
  h3: ({ node: _node, ...props }) => <h3 dir="auto" {...props} />,
  td: ({ node: _node, ...props }) => <td dir="auto" {...props} />,
  th: ({ node: _node, ...props }) => <th dir="auto" {...props} />,
};
// The common languages, plus what chip engineers paste most: (System)Verilog and Tcl (SDC, tool scripts).
const languages = { ...common, verilog, tcl };
const rehypePlugins: NonNullable<Parameters<typeof ReactMarkdown>[0]['rehypePlugins']> = [
  [rehypeHighlight, { detect: true, languages, aliases: { verilog: ['systemverilog', 'sv'], tcl: ['sdc'] } }],
];
const remarkPlugins = [remarkGfm];

/**
 * Answers as Markdown. Raw HTML in an answer (which may quote a document) is shown as text,
 * never parsed into elements: react-markdown does not render HTML without rehype-raw, which we
 * do not use, and its URL filter drops javascript: links. Images are shown as their alt text, so an answer cannot
 * make the browser fetch an address of a document's choosing.
 */
export function Markdown({
  text,
  citationNumbers,
  renderCitation,
}: {
  text: string;
  citationNumbers: number[];
  renderCitation: (n: number) => ReactNode;
}) {
  const source = useMemo(() => linkCitations(text, new Set(citationNumbers)), [text, citationNumbers]);
  return (
    <div className="markdown">
      <CitationRenderer.Provider value={renderCitation}>
        <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
          {source}
        </ReactMarkdown>
      </CitationRenderer.Provider>
    </div>
  );
}
