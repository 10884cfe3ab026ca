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
