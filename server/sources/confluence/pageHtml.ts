import { escapeHtml as escaped } from '../escapeHtml.ts';

/** Breadcrumb headings at most; deeper trees fold their top levels into the first one. */
const crumbLevels = 3;

/**
 * A Confluence page as the HTML document Tapeout ingests: its place in the page tree (space,
 * ancestors, the page) as headings, so every chunk's heading path starts with where the page
 * lives, and the page's own storage-format body below them with its headings moved down
 * under the page's (h1 becomes h4). Storage format is XHTML with Confluence's macros in `ac:`
 * elements, which the HTML parser reads as text.
 */
export function pageHtml(space: string, ancestors: string[], title: string, storage: string): string {
  const trail = [space, ...ancestors, title];
  const crumbs = trail.length > crumbLevels ? [trail.slice(0, trail.length - 2).join(' › '), ...trail.slice(-2)] : trail;
  const shift = crumbs.length;
  const body = storage.replace(/<(\/?)h([1-6])(\b[^>]*)>/gi, (_, slash: string, level: string, rest: string) => {
    return `<${slash}h${Math.min(6, Number(level) + shift)}${rest}>`;
  });
  const headings = crumbs.map((crumb, i) => `<h${i + 1}>${escaped(crumb)}</h${i + 1}>`).join('\n');
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escaped(title)}</title></head><body>\n${headings}\n${body}\n</body></html>\n`;
}
