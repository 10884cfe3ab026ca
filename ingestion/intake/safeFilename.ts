import path from 'node:path';

/**
 * A client's file name made safe to store and show: no directories (path traversal), no control
 * or bidirectional-override characters, bounded length, never empty or a dot name.
 */
export function safeFilename(name: string): string {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .slice(0, 200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'unnamed';
}
