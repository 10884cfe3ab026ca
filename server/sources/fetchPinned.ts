import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { resolvePublicAddress } from './publicAddress.ts';

export interface PinnedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, or undefined when it was not read (not wanted, or over `maxBytes`). */
  body: Buffer | undefined;
  /** Whether the body went past `maxBytes` (and was dropped). */
  tooLarge: boolean;
}

export interface PinnedRequest {
  allowedHosts: readonly string[];
  headers: Record<string, string>;
  maxBytes: number;
  signal: AbortSignal;
  timeoutMs: number;
  /** Whether to read the body, given the response's status and headers (a page, not an image). */
  wantBody?: (status: number, headers: http.IncomingHttpHeaders) => boolean;
  /** GET unless given (an OAuth token request is a POST). */
  method?: 'GET' | 'POST';
  body?: Buffer;
}

/**
 * One request (a GET unless told), to the address its host was checked to resolve to (resolvePublicAddress): the
 * connection is made to that very address, whatever DNS says by then, so a name that turns
 * private between the check and the connect (DNS rebinding) reaches nothing. Redirects are not
 * followed here: the caller checks each hop's URL again as a new request. Compressed bodies are
 * inflated with the limit counted on what comes out, so a small gzip bomb is stopped too.
 */
export async function fetchPinned(url: URL, request: PinnedRequest): Promise<PinnedResponse> {
  const pinned = await resolvePublicAddress(url, request.allowedHosts);
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PinnedResponse>((resolve, reject) => {
    const outgoing = client.request(
      url,
      {
        method: request.method ?? 'GET',
        lookup,
        headers: {
          'accept-encoding': 'gzip, deflate, br',
          ...request.headers,
          ...(request.body ? { 'content-length': String(request.body.length) } : {}),
        },
        signal: request.signal,
        timeout: request.timeoutMs,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (request.wantBody && !request.wantBody(status, response.headers)) {
          response.destroy();
          resolve({ status, headers: response.headers, body: undefined, tooLarge: false });
          return;
        }
        readBounded(decoded(response), response, request.maxBytes).then(
          (read) => resolve({ status, headers: response.headers, ...read }),
          reject,
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${url.host} did not answer within ${request.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function decoded(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip());
  if (encoding === 'deflate') return response.pipe(createInflate());
  if (encoding === 'br') return response.pipe(createBrotliDecompress());
  return response;
}

function readBounded(
  stream: Readable,
  response: http.IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer | undefined; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    stream.on('data', (part: Buffer) => {
      length += part.length;
      if (length > maxBytes) {
        stream.destroy();
        response.destroy();
        resolve({ body: undefined, tooLarge: true });
        return;
      }
      parts.push(part);
    });
    stream.on('end', () => resolve({ body: Buffer.concat(parts), tooLarge: false }));
    stream.on('error', reject);
  });
}
