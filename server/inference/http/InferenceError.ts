const retryableStatuses = new Set([408, 429, 500, 502, 503, 504]);

/** A failed call to an inference service, with the server's own message whatever its shape. */
export class InferenceError extends Error {
  constructor(
    readonly service: string,
    message: string,
    /** HTTP status, or undefined for network failures and timeouts. */
    readonly status: number | undefined,
    readonly code: 'http_error' | 'timeout' | 'network_error' | 'unavailable' | 'invalid_response',
    readonly retryable: boolean,
  ) {
    super(`${service}: ${message}`);
    this.name = 'InferenceError';
  }

  static fromResponse(service: string, status: number, bodyText: string): InferenceError {
    return new InferenceError(service, `HTTP ${status}: ${errorMessageOf(bodyText)}`, status, 'http_error', retryableStatuses.has(status));
  }
}

/**
 * Reads the message out of the error bodies inference servers send: OpenAI's
 * `{"error":{"message"}}`, vLLM's flat `{"message","type","code"}`, NIM's `{"object":"error",...}`,
 * FastAPI's `{"detail": string | [{msg}]}`, or plain text.
 */
export function errorMessageOf(bodyText: string): string {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return bodyText.trim().slice(0, 500) || '(empty response)';
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return (error as { message: string }).message;
    }
    if (typeof record.message === 'string') return record.message;
    if (typeof record.detail === 'string') return record.detail;
    if (Array.isArray(record.detail)) {
      return record.detail.map((item) => (item && typeof item === 'object' && 'msg' in item ? String(item.msg) : String(item))).join('; ');
    }
  }
  return bodyText.slice(0, 500);
}
