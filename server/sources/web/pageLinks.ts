import { parse } from 'node-html-parser';

export interface PageLinks {
  /** Absolute http(s) URLs the page links to, without fragments, each once. */
  links: string[];
  /** `<meta name="robots" content="noindex">`: the page is not indexed (its links are still followed). */
  noindex: boolean;
  /** `<meta name="robots" content="nofollow">`: its links are not followed. */
  nofollow: boolean;
}

/** The links of an HTML page, resolved against its URL (or its `<base href>`), and what its robots meta tag asks. */
export function pageLinks(html: string, pageUrl: URL): PageLinks {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, pre: false, noscript: false } });
  const robots = root
    .querySelectorAll('meta[name]')
    .filter((meta) => /^(robots|tapeoutbot)$/i.test(meta.getAttribute('name') ?? ''))
    .map((meta) => (meta.getAttribute('content') ?? '').toLowerCase())
    .join(',');
  const base = resolved(root.querySelector('base[href]')?.getAttribute('href'), pageUrl) ?? pageUrl;
  const links = new Set<string>();
  for (const anchor of root.querySelectorAll('a[href], area[href]')) {
    const target = resolved(anchor.getAttribute('href'), base);
    if (target) links.add(target.href);
  }
  return {
    links: [...links],
    noindex: /\b(noindex|none)\b/.test(robots),
    nofollow: /\b(nofollow|none)\b/.test(robots),
  };
}

/** A link's absolute URL without its fragment, or undefined for anything but http(s). */
export function resolved(href: string | undefined, base: URL): URL | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url;
  } catch {
    return undefined;
  }
}
