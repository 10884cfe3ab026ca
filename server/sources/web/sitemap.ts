import { DOMParser } from '@xmldom/xmldom';

export interface Sitemap {
  /** Pages it lists (`<urlset><url><loc>`). */
  pages: string[];
  /** Further sitemaps it lists (`<sitemapindex><sitemap><loc>`). */
  sitemaps: string[];
}

/** A sitemap (sitemaps.org protocol 0.9) or sitemap index; anything that is not one lists nothing. */
export function parseSitemap(xml: string): Sitemap {
  const empty: Sitemap = { pages: [], sitemaps: [] };
  let document;
  try {
    document = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  } catch {
    return empty;
  }
  const root = document.documentElement;
  if (!root) return empty;
  const locs = (parent: string) =>
    Array.from(root.getElementsByTagNameNS('*', 'loc'))
      .filter((loc) => loc.parentNode?.localName === parent)
      .map((loc) => (loc.textContent ?? '').trim())
      .filter(Boolean);
  if (root.localName === 'urlset') return { pages: locs('url'), sitemaps: [] };
  if (root.localName === 'sitemapindex') return { pages: [], sitemaps: locs('sitemap') };
  return empty;
}
