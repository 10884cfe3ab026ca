import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, UnsupportedParameterError } from '../../errors.ts';
import { describeHttpError, logRefusal, setRetryAfter } from '../errorHandler.ts';

/** Paths under /v1 that OpenAI has and this server does not serve. */
export class UnknownEndpointError extends AppError {
  constructor(method: string, path: string) {
    super(
      404,
      'unknown_url',
      `Invalid URL (${method} /v1${path}): this server serves GET /v1/models, GET /v1/models/{model} and POST /v1/chat/completions.`,
    );
  }
}

export const unknownEndpoint: RequestHandler = (req, _res, next) => next(new UnknownEndpointError(req.method, req.path));

const typeByStatus = (status: number) =>
  status === 401
    ? 'authentication_error'
    : status === 403
      ? 'permission_error'
      : status === 429
        ? 'rate_limit_error'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';

/**
 * OpenAI clients expect `{"error":{"message","type","param","code"}}`; status and message are the
 * API's own (describeHttpError: malformed JSON is a 400, a body past the limit a 413), `param`
 * names the parameter a refusal is about.
 */
export const openaiErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const { status, body } = describeHttpError(error);
  logRefusal(req.log, error, status, body);
  if (res.headersSent) return void res.end();
  setRetryAfter(res, error);
  const param =
    error instanceof UnsupportedParameterError
      ? error.param
      : error instanceof ZodError && error.issues[0]?.path.length
        ? error.issues[0].path.map(String).join('.')
        : null;
  res.status(status).json({ error: { message: body.error.message, type: typeByStatus(status), param, code: body.error.code } });
};
