import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** A pass-through stream that hashes (SHA-256) and counts what flows through it. */
export function hashingCounter() {
  const hash = createHash('sha256');
  let byteSize = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      byteSize += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ contentHash: hash.digest('hex'), byteSize }) };
}
