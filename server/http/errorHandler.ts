import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger.ts';
import { ZodError } from 'zod';
import { AppError, NotFoundError, TooManyRequestsError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps every error to `{"error":{"code","message"}}` with the right status, and logs the cause. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const { status, body } = describeError(error);
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

/** The one mapping from an error to what a client is told, shared by HTTP and socket.io. */
export function describeError(error: unknown): { status: number; body: ErrorBody } {
  let status = 500;
  let body: ErrorBody = { error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } };
  if (error instanceof AppError) {
    status = error.status;
    body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  } else if (error instanceof ZodError) {
    status = 400;
    body = {
      error: {
        code: 'invalid_request',
        message: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
      },
    };
  } else if ((error as { type?: string })?.type === 'entity.parse.failed') {
    status = 400;
    body = { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } };
  } else if ((error as { type?: string })?.type === 'entity.too.large') {
    status = 413;
    body = { error: { code: 'payload_too_large', message: 'The request body is too large.' } };
  }
  return { status, body };
}

export const apiNotFound: RequestHandler = (req, _res, next) => next(new NotFoundError(`${req.method} ${req.originalUrl.split("?")[0]}`));
