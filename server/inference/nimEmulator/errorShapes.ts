import type { Response } from 'express';
import type { z } from 'zod';

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

/**
 * NIM's retriever services validate like FastAPI: a bad body is a 422 with `detail`, an unknown
 * model a 404. Returns the parsed body, or undefined once the error has been sent.
 */
export function validRequest<T extends { model: string }>(
  res: Response,
  schema: z.ZodType<T>,
  body: unknown,
  servedModel: string,
): T | undefined {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    sendError(res, 422, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 'detail');
    return undefined;
  }
  if (parsed.data.model !== servedModel) {
    sendError(res, 404, `The model \`${parsed.data.model}\` does not exist.`);
    return undefined;
  }
  return parsed.data;
}
