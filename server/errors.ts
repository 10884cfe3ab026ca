import { ZodError } from 'zod';

/**
 * Typed errors that services throw, and describeError, the one mapping from an error to what a
 * client is told (a status and `{"error":{"code","message"}}`), used by every entry point: HTTP
 * (http/errorHandler.ts), socket.io, Slack and the chat turn itself.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

export class AuthenticationError extends AppError {
  constructor(message = 'Authentication required: send Authorization: Bearer <api key>.') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** An input past one of the configured limits; the message names the limit. */
export class LimitExceededError extends AppError {
  constructor(code: string, message: string, status: 400 | 413 = 413) {
    super(status, code, message);
  }
}

/** A request parameter this server cannot honour; `param` names it, as OpenAI's errors do. */
export class UnsupportedParameterError extends AppError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(400, 'unsupported_parameter', message);
  }
}

/** A quota or rate limit refused the request; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, code, message);
  }
}

/** The database cannot be reached (restarting, or down); the request changed nothing and may be retried. */
export class DatabaseUnavailableError extends AppError {
  constructor(override readonly cause: unknown) {
    super(
      503,
      'database_unavailable',
      'The database is not reachable right now (it may be restarting); nothing was changed. Try again in a few seconds.',
    );
  }
}

/** This instance is draining for a restart: it finishes what it has but takes no new answers. */
export class ShuttingDownError extends AppError {
  constructor() {
    super(503, 'server_shutting_down', 'This server is restarting and takes no new questions; ask again in a moment.');
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** What a client is told about an error: typed errors as they say, invalid input as 400, anything else as 500 without details. */
export function describeError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
    };
  }
  if (error instanceof ZodError) {
    const message = error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    return { status: 400, body: { error: { code: 'invalid_request', message } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } } };
}
