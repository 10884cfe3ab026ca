import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger.ts';
import { describeError, NotFoundError, TooManyRequestsError, type ErrorBody } from '../errors.ts';

/** Maps every error to `{"error":{"code","message"}}` with the right status, and logs the cause. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const { status, body } = describeHttpError(error);
  logRefusal(req.log, error, status, body);
  if (res.headersSent) return void res.end();
  setRetryAfter(res, error);
  res.status(status).json(body);
};

/** Failures with their cause; refusals as one line with the code and reason. */
export function logRefusal(log: Pick<Logger, 'error' | 'warn'>, error: unknown, status: number, body: ErrorBody): void {
  if (status >= 500) log.error({ err: error }, 'request failed');
  else log.warn({ code: body.error.code, reason: body.error.message }, 'request refused');
}

export function setRetryAfter(res: Response, error: unknown): void {
  if (error instanceof TooManyRequestsError && error.retryAfterSeconds) res.set('retry-after', String(error.retryAfterSeconds));
}

/** describeError, plus the body parser's own failures (malformed JSON, a body past its limit). */
export function describeHttpError(error: unknown): { status: number; body: ErrorBody } {
  const type = (error as { type?: string })?.type;
  if (type === 'entity.parse.failed')
    return { status: 400, body: { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } } };
  if (type === 'entity.too.large')
    return { status: 413, body: { error: { code: 'payload_too_large', message: 'The request body is too large.' } } };
  return describeError(error);
}

export const apiNotFound: RequestHandler = (req, _res, next) => next(new NotFoundError(`${req.method} ${req.originalUrl.split('?')[0]}`));
