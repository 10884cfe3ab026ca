import type { SourceLimits } from '../config/index.ts';
import { ValidationError } from '../errors.ts';
import { BlockedAddressError, resolvePublicAddress } from './publicAddress.ts';

/**
 * A source's URL as a user gave it, checked when the source is added or changed: http(s) only,
 * no credentials in it (a URL is shown and logged), and a host that resolves to an address a
 * connector may reach (not private unless CONNECTOR_ALLOWED_HOSTS says so).
 */
export async function checkedSourceUrl(url: string, limits: SourceLimits, example: string): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`${url} is not a URL: use ${example}.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ValidationError(`The source's URL must be http:// or https://, not ${parsed.protocol} (for example ${example}).`);
  }
  if (parsed.username || parsed.password) {
    throw new ValidationError('Put the token in credentials, not in the URL (a URL is shown and logged).');
  }
  await resolvePublicAddress(parsed, limits.allowedHosts).catch((error: unknown) => {
    if (error instanceof BlockedAddressError) throw new ValidationError(error.message);
    throw new ValidationError(`${parsed.hostname} cannot be resolved: ${(error as Error).message}`);
  });
  return parsed;
}

/** Plain http is for hosts an admin allowed (a test instance on the LAN); tokens go over https otherwise. */
export function requireTlsForTokens(url: URL, limits: SourceLimits): void {
  if (
    url.protocol === 'http:' &&
    !limits.allowedHosts.includes(url.hostname.toLowerCase()) &&
    !limits.allowedHosts.includes(url.host.toLowerCase())
  ) {
    throw new ValidationError(
      `${url.host} is reached over plain http: credentials are sent over https only (or to hosts in CONNECTOR_ALLOWED_HOSTS).`,
    );
  }
}
