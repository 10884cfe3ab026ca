import yauzl from 'yauzl';
import { ParseError } from './ParsedDocument.ts';

export interface ZipLimits {
  /** Largest total the archive may claim to expand to. */
  maxUncompressedBytes: number;
  /** Largest expansion ratio, uncompressed to compressed, over the whole archive. */
  maxRatio: number;
  maxEntries: number;
}

// Office XML compresses about 10-20x; pictures inside are stored already compressed.
export const officeZipLimits: ZipLimits = { maxUncompressedBytes: 256 * 1024 * 1024, maxRatio: 100, maxEntries: 10_000 };

/**
 * Refuses a zip bomb before any parser inflates it, from the sizes the central directory
 * declares (read by yauzl without inflating anything). An archive that lies about its sizes
 * is stopped by the memory bound of the extraction worker instead.
 */
export async function assertSafeZip(bytes: Uint8Array, limits: ZipLimits = officeZipLimits): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  ).catch((error: Error) => {
    throw new ParseError('corrupt_file', `The archive cannot be read: ${error.message}`);
  });
  let entries = 0;
  let uncompressed = 0;
  let compressed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        uncompressed += entry.uncompressedSize;
        compressed += entry.compressedSize;
        if (entries > limits.maxEntries || uncompressed > limits.maxUncompressedBytes) resolve();
        else zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    throw new ParseError('corrupt_file', `The archive cannot be read: ${(error as Error).message}`);
  } finally {
    zip.close();
  }
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  if (entries > limits.maxEntries) throw new ParseError('zip_bomb', `The archive holds more than ${limits.maxEntries} entries.`);
  if (uncompressed > limits.maxUncompressedBytes) {
    throw new ParseError('zip_bomb', `The archive expands to more than ${mb(limits.maxUncompressedBytes)}; refused as a possible zip bomb.`);
  }
  if (compressed > 0 && uncompressed / compressed > limits.maxRatio) {
    throw new ParseError('zip_bomb', `The archive expands ${Math.round(uncompressed / compressed)}x (limit ${limits.maxRatio}x); refused as a possible zip bomb.`);
  }
}
