import type { SourceLimits } from '../config/index.ts';
import { ValidationError } from '../errors.ts';
import { checkedSourceUrl, requireTlsForTokens } from './sourceUrl.ts';
import { RefreshedToken } from './oauthTokens.ts';
import { fixedAuthorization, SourceApi, type Authorizer } from './SourceApi.ts';
import type { ListContext, SourceToSync } from './SourceConnector.ts';

/**
 * How Confluence and Jira sources authenticate: Cloud with an API token and the account's email
 * (Basic), Data Center with a personal access token (Bearer), or Cloud through an OAuth 2.0
 * (3LO) app whose rotating refresh token is sealed again each time it turns (`bare`: the
 * unauthenticated API the token requests go through).
 */
function atlassianAuthorizer(source: SourceToSync, bare: SourceApi, tokenUrl: string, context: ListContext): Authorizer {
  const credentials = source.credentials;
  if (!credentials) return fixedAuthorization(undefined);
  if (credentials.oauth) {
    return new RefreshedToken(bare, tokenUrl, credentials.oauth, (oauth) => context.saveCredentials({ ...credentials, oauth }));
  }
  if (credentials.username)
    return fixedAuthorization(`Basic ${Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64')}`);
  return fixedAuthorization(`Bearer ${credentials.token}`);
}

/** The API of a Confluence or Jira site, authenticated as its source says, reaching only the site, its token service and `otherHosts`. */
export function atlassianApi(
  source: SourceToSync,
  context: ListContext,
  options: { site: URL; tokenUrl: string; otherHosts?: string[] },
): SourceApi {
  const hosts = [options.site.host, new URL(options.tokenUrl).host, ...(options.otherHosts ?? [])];
  const common = { hosts, allowedHosts: context.limits.allowedHosts, signal: context.signal };
  const bare = new SourceApi({ ...common, auth: fixedAuthorization(undefined) });
  return new SourceApi({ ...common, auth: atlassianAuthorizer(source, bare, options.tokenUrl, context) });
}

/** Checks a Confluence or Jira site's URL: reachable, tokens over https, and for OAuth 2.0 (3LO) Atlassian's API gateway with the site's cloud id. */
export async function checkedAtlassianSite(url: string, limits: SourceLimits, product: 'confluence' | 'jira'): Promise<URL> {
  const site = await checkedSourceUrl(url, limits, `https://acme.atlassian.net or https://${product}.example.com`);
  requireTlsForTokens(site, limits);
  if (site.hostname === 'api.atlassian.com' && !new RegExp(`^/ex/${product}/[0-9a-f-]{36}/?$`, 'i').test(site.pathname)) {
    throw new ValidationError(`With OAuth 2.0 (3LO) the URL is https://api.atlassian.com/ex/${product}/<cloudId>.`);
  }
  return site;
}
