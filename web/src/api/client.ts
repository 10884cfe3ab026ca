/** The one way the web app talks to the REST API: JSON in and out, the session cookie, the CSRF header, typed errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

/** Dispatched on window when the server answers 401: the session is over. */
export const sessionEndedEvent = 'tapeout:session-ended';
const inFlight = new Set<Promise<unknown>>();

/** Resolves once every request started so far has finished (sign-out waits for cleanups). */
export async function requestsSettled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/** Set at sign-in and from GET /api/me; sent back on every change, as the server requires. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** For requests made without `api()`, such as uploads that report their progress. */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

export function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const request = send<T>(path, options);
  inFlight.add(request);
  void request.catch(() => undefined).finally(() => inFlight.delete(request));
  return request;
}

async function send<T>(path: string, { method = 'GET', body, signal }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The Tapeout server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
  if (!response.ok) {
    // The session ended elsewhere (signed out, deactivated by the identity provider): back to sign-in.
    if (response.status === 401 && path !== '/auth/sign-in')
      window.dispatchEvent(new CustomEvent(sessionEndedEvent, { detail: payload?.error?.message }));
    throw new ApiError(
      response.status,
      payload?.error?.code ?? 'http_error',
      payload?.error?.message ?? `The server answered ${response.status}.`,
    );
  }
  return payload as T;
}

/** A readable sentence for any error a call can throw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
