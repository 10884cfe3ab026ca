import type { Response } from 'express';

/** The error bodies inference servers really send; clients must understand all of them. */
export type ErrorShape = 'openai' | 'flat' | 'object' | 'detail';

export function sendError(res: Response, status: number, message: string, shape: ErrorShape = 'object'): void {
  const type = status >= 500 ? 'InternalServerError' : status === 404 ? 'NotFoundError' : 'BadRequestError';
  const body =
    shape === 'openai'
      ? { error: { message, type, code: status } }
      : shape === 'flat'
        ? { message, type, code: status }
        : shape === 'detail'
          ? { detail: [{ loc: ['body'], msg: message, type: 'value_error' }] }
          : { object: 'error', message, type, code: status };
  res.status(status).json(body);
}
