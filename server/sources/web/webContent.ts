import path from 'node:path';

/** Content types a crawl reads, and the extension a stored copy is named with (the bytes are sniffed all the same). */
const readable: Record<string, { kind: string; extension: string }> = {
  'text/html': { kind: 'html', extension: '.html' },
  'application/xhtml+xml': { kind: 'html', extension: '.html' },
  'application/pdf': { kind: 'pdf', extension: '.pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'docx', extension: '.docx' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'pptx', extension: '.pptx' },
  'text/markdown': { kind: 'markdown', extension: '.md' },
  'text/x-markdown': { kind: 'markdown', extension: '.md' },
  'text/plain': { kind: 'text', extension: '.txt' },
  'text/csv': { kind: 'csv', extension: '.csv' },
};

/** What a response is, from its Content-Type; undefined for what Tapeout does not index (images, archives, scripts). */
export function kindOfContent(contentType: string | undefined): string | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return readable[type]?.kind;
}

/** A stored page's file name: its URL's last segment (or the host), with the extension of what it is. */
export function filenameOf(url: URL, kind: string | undefined): string {
  const segments = url.pathname.split('/').filter(Boolean);
  let name = segments.length ? safeDecode(segments.at(-1)!) : url.hostname;
  const extension = Object.values(readable).find((entry) => entry.kind === kind)?.extension;
  if (extension && path.extname(name).toLowerCase() !== extension && !(kind === 'html' && /\.html?$/i.test(name))) name += extension;
  return name.slice(-200);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const textKinds = new Set(['html', 'text', 'markdown', 'csv']);

/**
 * A text response as UTF-8, which is what the parsers read: many Chinese, Japanese, Korean,
 * Arabic and Hebrew intranet sites still serve GBK, Big5, Shift_JIS, EUC-KR or windows-125x.
 * The charset comes from Content-Type, else from the page's `<meta charset>` (HTML's own rule);
 * one the runtime cannot decode leaves the bytes as they are (they are sniffed like an upload).
 */
export function asUtf8(body: Buffer, contentType: string | undefined, kind: string): Buffer {
  if (!textKinds.has(kind)) return body;
  const declared =
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    (kind === 'html' ? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1] : undefined);
  if (!declared || /^utf-?8$/i.test(declared)) return body;
  try {
    return Buffer.from(new TextDecoder(declared).decode(body), 'utf8');
  } catch {
    return body;
  }
}
