import type { IncomingHttpHeaders } from 'node:http';
import type { SourceCredentials } from '../credentialCipher.ts';
import { BlockedAddressError, resolvePublicAddress } from '../publicAddress.ts';
import type { ListContext } from '../SourceConnector.ts';
import type { ItemError } from '../sourceRepository.ts';
import { fetchPinned, type PinnedResponse } from '../fetchPinned.ts';
import { resolved } from './pageLinks.ts';
import { robotsFrom, userAgent, type HostRobots } from './siteRobots.ts';
import { kindOfContent } from './webContent.ts';
import type { SiteScope } from './webSettings.ts';

const requestTimeoutMs = 30_000;
const maxRedirects = 5;

export type Fetched =
  | { outcome: 'response'; url: URL; response: PinnedResponse; conditional: boolean }
  /** Refused (a private address): counted as failed. Skipped: left out on purpose (robots.txt, out of the site). */
  | { outcome: 'refused' | 'skipped'; error: ItemError }
  /** Not readable now (a network error, robots.txt unavailable): a stored page is kept. */
  | { outcome: 'unreadable'; error: ItemError };

/** A crawl's requests: each pinned and checked (fetchPinned), robots.txt read once per host, redirects followed hop by hop. */
export class SiteRequests {
  private readonly robots = new Map<string, Promise<HostRobots>>();

  constructor(
    private readonly scope: SiteScope,
    private readonly credentials: SourceCredentials | undefined,
    private readonly context: ListContext,
  ) {}

  /** GETs a URL, following redirects within the site; each hop's address is checked before anything else. */
  async fetchFollowing(first: URL, conditional: Record<string, string>): Promise<Fetched> {
    let url = first;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      if (hop > 0) {
        const refused = await this.addressRefusal(url, first);
        if (refused) return { outcome: 'refused', error: refused };
        if (!this.scope.includes(url)) {
          return {
            outcome: 'skipped',
            error: { item: first.href, code: 'redirect_out_of_scope', message: `Redirects to ${url.href}, outside the source.` },
          };
        }
      }
      const robots = await this.robotsOf(url);
      if (robots.state === 'unavailable') {
        const message = `robots.txt of ${url.host} could not be read (${robots.reason}).`;
        return { outcome: 'unreadable', error: { item: url.href, code: 'robots_unavailable', message } };
      }
      if (robots.state === 'rules' && !robots.allows(url)) {
        return { outcome: 'skipped', error: { item: url.href, code: 'robots_disallowed', message: 'robots.txt disallows it.' } };
      }
      const headers = hop === 0 ? conditional : {};
      let response: PinnedResponse;
      try {
        response = await this.get(url, headers);
      } catch (error) {
        if (error instanceof BlockedAddressError)
          return { outcome: 'refused', error: { item: url.href, code: error.code, message: error.message } };
        if (this.context.signal.aborted) throw error;
        return { outcome: 'unreadable', error: { item: url.href, code: 'fetch_failed', message: (error as Error).message } };
      }
      const location = response.status >= 300 && response.status < 400 && response.status !== 304 ? response.headers.location : undefined;
      if (!location) return { outcome: 'response', url, response, conditional: Object.keys(headers).length > 0 };
      const next = resolved(location, url);
      if (!next)
        return {
          outcome: 'skipped',
          error: { item: first.href, code: 'redirect_refused', message: `Redirects to ${location}, not an http(s) URL.` },
        };
      url = next;
    }
    return { outcome: 'skipped', error: { item: first.href, code: 'too_many_redirects', message: `More than ${maxRedirects} redirects.` } };
  }

  private async addressRefusal(url: URL, first: URL): Promise<ItemError | undefined> {
    try {
      await resolvePublicAddress(url, this.context.limits.allowedHosts);
      return undefined;
    } catch (error) {
      const message = `Redirects to ${url.href}: ${(error as Error).message}`;
      return { item: first.href, code: error instanceof BlockedAddressError ? error.code : 'host_unreachable', message };
    }
  }

  get(url: URL, headers: Record<string, string>, wantBody = wantsBody): Promise<PinnedResponse> {
    // A token crosses the network only encrypted, or to a host an admin listed as internal.
    const mayCarry =
      url.protocol === 'https:' ||
      this.context.limits.allowedHosts.includes(url.hostname) ||
      this.context.limits.allowedHosts.includes(url.host);
    const credentials = mayCarry ? this.credentials : undefined;
    const authorization = credentials
      ? credentials.username
        ? `Basic ${Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64')}`
        : `Bearer ${credentials.token}`
      : undefined;
    return fetchPinned(url, {
      allowedHosts: this.context.limits.allowedHosts,
      // Credentials go only to the site's own hosts (every URL fetched is one; robots.txt and sitemaps too).
      headers: {
        'user-agent': userAgent,
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        ...headers,
        ...(authorization ? { authorization } : {}),
      },
      maxBytes: this.context.limits.maxFileBytes,
      signal: AbortSignal.any([this.context.signal, AbortSignal.timeout(requestTimeoutMs)]),
      timeoutMs: requestTimeoutMs,
      wantBody,
    });
  }

  robotsOf(url: URL): Promise<HostRobots> {
    const origin = url.origin;
    let robots = this.robots.get(origin);
    if (!robots) {
      const robotsUrl = new URL('/robots.txt', origin);
      robots = this.get(robotsUrl, {}, isSuccess).then(
        (response) => robotsFrom(robotsUrl, response.status, response.body),
        (error: unknown) => robotsFrom(robotsUrl, 0, undefined, error as Error),
      );
      this.robots.set(origin, robots);
    }
    return robots;
  }
}

/** A 2xx answer: the only one whose body a crawl reads. */
export const isSuccess = (status: number) => status >= 200 && status < 300;

const wantsBody = (status: number, headers: IncomingHttpHeaders) =>
  isSuccess(status) && kindOfContent(headers['content-type']) !== undefined;
