import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented bearer token with a configured secret (SCIM_TOKEN, METRICS_TOKEN) in
 * constant time: both are hashed first, so neither their contents nor their lengths leak.
 */
export function matchesSharedSecret(sent: string | undefined, secret: string): boolean {
  return sent !== undefined && timingSafeEqual(digest(sent), digest(secret));
}

/** The token of an `Authorization: Bearer <token>` header, if that is what was sent. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
