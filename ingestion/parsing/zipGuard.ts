import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ParseError } from './ParsedDocument.ts';

export interface ZipLimits {
  /** Largest total the archive may expand to, declared or inflated. */
  maxUncompressedBytes: number;
  /** Largest expansion ratio, uncompressed to compressed, over the whole archive. */
  maxRatio: number;
  maxEntries: number;
}

// Office XML compresses about 10-20x; pictures inside are stored already compressed.
export const officeZipLimits: ZipLimits = { maxUncompressedBytes: 256 * 1024 * 1024, maxRatio: 100, maxEntries: 10_000 };

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Refuses a zip bomb before any parser inflates it. First from the sizes the central directory
 * declares (read by yauzl without inflating anything); then by inflating every entry as a stream
 * that only counts its bytes, never keeping them: an entry that inflates past the size it
 * declares, or an archive whose real total passes the limit, is stopped at that byte with
 * `archive_too_large`. Buffers live outside the worker thread's heap limit, so a lying archive
 * must be stopped here, before the parser (mammoth's JSZip) inflates it all into memory. Once
 * every entry has inflated to exactly its declared size, the parser, reading the same central
 * directory, sees no more than was counted.
 */
export async function assertSafeZip(bytes: Uint8Array, limits: ZipLimits = officeZipLimits): Promise<void> {
  const zip = await openZip(bytes);
  try {
    const entries = await readEntries(zip, limits);
    assertDeclaredSizes(entries, limits);
    await countInflatedBytes(zip, entries, limits);
  } finally {
    zip.close();
  }
}

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise<yauzl.ZipFile>((resolve, reject) =>
    // validateEntrySizes (yauzl's default) makes a read stream fail at the first byte past the declared size.
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true },
      (error, file) => (error ? reject(error) : resolve(file)),
    ),
  ).catch((error: Error) => {
    throw new ParseError('corrupt_file', `The archive cannot be read: ${error.message}`);
  });
}

/** The central directory's entries, up to one past the limits (enough to refuse). */
async function readEntries(zip: yauzl.ZipFile, limits: ZipLimits): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  let declared = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        declared += entry.uncompressedSize;
        if (entries.length > limits.maxEntries || declared > limits.maxUncompressedBytes) resolve();
        else zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    throw new ParseError('corrupt_file', `The archive cannot be read: ${(error as Error).message}`);
  }
  return entries;
}

function assertDeclaredSizes(entries: yauzl.Entry[], limits: ZipLimits): void {
  const uncompressed = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  const compressed = entries.reduce((sum, entry) => sum + entry.compressedSize, 0);
  if (entries.length > limits.maxEntries) throw new ParseError('zip_bomb', `The archive holds more than ${limits.maxEntries} entries.`);
  if (uncompressed > limits.maxUncompressedBytes) {
    throw new ParseError(
      'zip_bomb',
      `The archive expands to more than ${mb(limits.maxUncompressedBytes)}; refused as a possible zip bomb.`,
    );
  }
  if (compressed > 0 && uncompressed / compressed > limits.maxRatio) {
    throw new ParseError(
      'zip_bomb',
      `The archive expands ${Math.round(uncompressed / compressed)}x (limit ${limits.maxRatio}x); refused as a possible zip bomb.`,
    );
  }
}

/** Inflates each entry into a counter, stopping at the first byte past its declared size or the total limit. */
async function countInflatedBytes(zip: yauzl.ZipFile, entries: yauzl.Entry[], limits: ZipLimits): Promise<void> {
  let total = 0;
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (error, opened) => (error ? reject(error) : resolve(opened))),
    ).catch((error: Error) => {
      throw new ParseError('corrupt_file', `The archive cannot be read: ${entry.fileName}: ${error.message}`);
    });
    const counter = new Writable({
      write(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        done(
          total > limits.maxUncompressedBytes
            ? new ParseError('archive_too_large', `The archive inflates to more than ${mb(limits.maxUncompressedBytes)}; refused.`)
            : undefined,
        );
      },
    });
    try {
      await pipeline(stream, counter);
    } catch (error) {
      if (error instanceof ParseError) throw error;
      const message = (error as Error).message;
      if (/too many bytes/i.test(message)) {
        throw new ParseError(
          'archive_too_large',
          `${entry.fileName} inflates to more than the ${entry.uncompressedSize} bytes the archive declares for it; refused as a zip bomb.`,
        );
      }
      throw new ParseError('corrupt_file', `The archive cannot be read: ${entry.fileName}: ${message}`);
    }
  }
}
