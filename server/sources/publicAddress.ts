import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a connector must not reach on a user's say-so: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast and the unspecified address, in
 * IPv4, IPv6 and IPv4-mapped IPv6.
 */
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class BlockedAddressError extends Error {
  readonly code = 'address_not_allowed';
}

/**
 * Resolves a URL's host and returns the address to connect to, refusing private ones unless the
 * host is in CONNECTOR_ALLOWED_HOSTS. The caller connects to this very address (it pins it), so a
 * name that resolves differently a moment later (DNS rebinding) does not get around the check.
 */
export async function resolvePublicAddress(url: URL, allowedHosts: readonly string[]): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = allowedHosts.includes(host) || allowedHosts.includes(`${host}:${url.port}`);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new BlockedAddressError(`${host} does not resolve to any address.`);
  const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
  if (blocked && !allowed) {
    throw new BlockedAddressError(
      `${host} resolves to ${blocked.address}, a private or loopback address; an admin can allow it with CONNECTOR_ALLOWED_HOSTS.`,
    );
  }
  const chosen = addresses[0]!;
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
