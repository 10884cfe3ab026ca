import { setTimeout as sleep } from 'node:timers/promises';
import { fetchPinned, type PinnedResponse } from './fetchPinned.ts';
import { BlockedAddressError } from './publicAddress.ts';
import { SourceSyncError } from './SourceConnector.ts';

/** How a connector authenticates its requests; `refresh` gets a new token after a 401 (an expired OAuth token). */
export interface Authorizer {
  header(): Promise<string | undefined>;
  /** True when a new token was obtained and the request is worth repeating once. */
  refresh?(): Promise<boolean>;
}

export const fixedAuthorization = (header: string | undefined): Authorizer => ({ header: async () => header });

/** An answer the caller decides about (a 403 or 404 of one item); retries and 401s are handled before it comes to this. */
export class SourceApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SourceApiError';
  }
}

export interface SourceApiOptions {
  /** The hosts its requests may go to (the source's, its sign-in service's): a `next` link elsewhere is refused, so a token never leaves them. */
  hosts: readonly string[];
  allowedHosts: readonly string[];
  auth: Authorizer;
  signal: AbortSignal;
  timeoutMs?: number;
  /** A 429's Retry-After above this fails the sync (rate_limited) rather than waiting it out. */
  maxRetryAfterMs?: number;
}

/** Attempts of one request through 429s and 5xx answers (and connection failures). */
const attempts = 5;
const jsonLimit = 32 * 1024 * 1024;

/**
 * Requests of a connector to a vendor's REST API: each to a checked, pinned address
 * (fetchPinned), only to the source's hosts; 429 waited out as its Retry-After says (seconds or
 * an HTTP date, RFC 9110 §10.2.3), 5xx and dropped connections retried with exponential
 * back-off, a 401 answered by refreshing the token once. Written here rather than taken from a
 * vendor SDK because the address pinning and the token's hosts are Tapeout's security rules.
 */
export class SourceApi {
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;

  constructor(private readonly options: SourceApiOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  }

  /** A JSON answer; a POST sends `body` as JSON or `form` as application/x-www-form-urlencoded. */
  async json<T>(
    url: URL | string,
    init: { method?: 'GET' | 'POST'; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const body =
      init.form !== undefined
        ? Buffer.from(new URLSearchParams(init.form).toString())
        : init.body === undefined
          ? undefined
          : Buffer.from(JSON.stringify(init.body));
    const contentType = init.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
    const response = await this.send(new URL(url), {
      method: init.method,
      body,
      headers: { accept: 'application/json', ...(body ? { 'content-type': contentType } : {}), ...init.headers },
      maxBytes: jsonLimit,
    });
    try {
      return JSON.parse(response.body!.toString('utf8')) as T;
    } catch {
      throw new SourceSyncError('bad_response', `${new URL(url).host} answered ${new URL(url).pathname} with something other than JSON.`);
    }
  }

  /** A file's bytes, at most `maxBytes` (over it: an empty buffer of `maxBytes + 1` length is never made; the caller sees `tooLarge`). */
  async bytes(url: URL | string, maxBytes: number): Promise<{ body: Buffer; tooLarge: boolean }> {
    const response = await this.send(new URL(url), { headers: {}, maxBytes, followRedirects: true });
    return { body: response.body ?? Buffer.alloc(0), tooLarge: response.tooLarge };
  }

  /** A file's bytes; one that turns out larger than `maxBytes` (whatever its listing said) is an error of its item. */
  async file(url: URL | string, maxBytes: number): Promise<Buffer> {
    const { body, tooLarge } = await this.bytes(url, maxBytes);
    if (tooLarge) throw new Error(`The file is larger than CONNECTOR_MAX_FILE_BYTES (${maxBytes} bytes), whatever its listing said.`);
    return body;
  }

  private async send(
    url: URL,
    request: { method?: 'GET' | 'POST'; body?: Buffer; headers: Record<string, string>; maxBytes: number; followRedirects?: boolean },
  ): Promise<PinnedResponse> {
    let refreshed = false;
    let hops = 0;
    let redirected = false;
    for (let attempt = 1; ; attempt++) {
      this.options.signal.throwIfAborted();
      this.checkHost(url);
      const authorization = redirected ? undefined : await this.options.auth.header();
      let response: PinnedResponse;
      try {
        response = await fetchPinned(url, {
          allowedHosts: this.options.allowedHosts,
          method: request.method,
          body: request.body,
          headers: { 'user-agent': 'Tapeout', ...request.headers, ...(authorization ? { authorization } : {}) },
          maxBytes: request.maxBytes,
          signal: this.options.signal,
          timeoutMs: this.timeoutMs,
        });
      } catch (error) {
        if (error instanceof BlockedAddressError) throw new SourceSyncError(error.code, error.message);
        if (this.options.signal.aborted || attempt >= attempts)
          throw new SourceSyncError('unreachable', `${url.host}: ${(error as Error).message}`);
        await this.wait(backoffMs(attempt));
        continue;
      }
      const { status } = response;
      if (status >= 200 && status < 300) return response;
      if (request.followRedirects && [301, 302, 303, 307, 308].includes(status) && response.headers.location && hops++ < 5) {
        // A download's redirect goes to a pre-authorised URL: it is checked like any request, and the token is not needed there.
        url = new URL(response.headers.location, url);
        redirected = true;
        attempt = 0;
        continue;
      }
      if (status === 401 && !refreshed && this.options.auth.refresh && (await this.options.auth.refresh())) {
        refreshed = true;
        attempt--;
        continue;
      }
      if (status === 401) {
        throw new SourceSyncError('unauthorized', `${url.host} refused the source's credentials (401): set them again in Admin › Sources.`);
      }
      if ((status === 429 || status === 503) && attempt < attempts) {
        const waitMs = retryAfterMs(response.headers['retry-after']) ?? backoffMs(attempt);
        if (waitMs > this.maxRetryAfterMs) {
          throw new SourceSyncError(
            'rate_limited',
            `${url.host} asked to wait ${Math.ceil(waitMs / 1000)} s (429); the next sync goes on.`,
          );
        }
        await this.wait(waitMs);
        continue;
      }
      if (status >= 500 && attempt < attempts) {
        await this.wait(backoffMs(attempt));
        continue;
      }
      if (status === 429) throw new SourceSyncError('rate_limited', `${url.host} kept answering 429 after ${attempts} tries.`);
      if (status >= 500) throw new SourceSyncError('source_unavailable', `${url.host} answered ${status} after ${attempts} tries.`);
      throw new SourceApiError(status, `${url.host} answered ${status} to ${url.pathname}`);
    }
  }

  private checkHost(url: URL): void {
    if (!this.options.hosts.some((host) => host === url.host || (host.startsWith('*.') && url.hostname.endsWith(host.slice(1))))) {
      throw new SourceSyncError('host_not_allowed', `${url.host} is not one of the source's hosts; its link is not followed.`);
    }
  }

  private async wait(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.options.signal });
  }
}

const backoffMs = (attempt: number) => Math.min(30_000, 500 * 2 ** (attempt - 1));

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A refusal (403, 404, or `statuses`) to list a whole container (a space, a project, a site) as
 * the failure of the sync: a sync that went on without it would delete everything it holds.
 */
export function containerRefused(code: string, message: (status: number) => string, statuses = [403, 404]) {
  return (error: unknown): never => {
    if (error instanceof SourceApiError && statuses.includes(error.status)) throw new SourceSyncError(code, message(error.status));
    throw error;
  };
}
