import { createHash, randomBytes } from 'node:crypto';

const keyPrefix = 'tap_';

/** A new random API key. Keys have 256 bits of entropy, so a fast hash is enough to store them. */
export function generateApiKey(): string {
  return keyPrefix + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part shown in lists so people can tell their keys apart. */
export function displayPrefix(key: string): string {
  return key.slice(0, keyPrefix.length + 6);
}
