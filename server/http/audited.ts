import type { Request, RequestHandler, Response } from 'express';
import type { AuditLog } from '../audit/AuditLog.ts';

type Describe<T> = (req: Request, res: Response) => T | undefined;

/**
 * Route middleware that writes an audit event once the request succeeded (status below 400),
 * with the acting principal and address. `details` picks what is worth keeping from the request,
 * and never a password or key.
 */
export function audited(
  audit: AuditLog,
  action: string,
  target?: Describe<{ type: string; id: string }>,
  details?: Describe<Record<string, unknown>>,
): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode >= 400) return;
      void audit.record({
        action,
        outcome: 'success',
        actorUserId: req.principal?.userId,
        actorEmail: req.principal?.email,
        ip: req.ip,
        target: target?.(req, res) ?? (res.locals.auditTarget as { type: string; id: string } | undefined),
        details: details?.(req, res),
      });
    });
    next();
  };
}

/** The route parameter as an audit target. */
export const param =
  (type: string, name: string): Describe<{ type: string; id: string }> =>
  (req) => ({ type, id: String(req.params[name]) });

/** Named fields of the JSON body, when present. */
export const bodyFields =
  (...names: string[]): Describe<Record<string, unknown>> =>
  (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(names.filter((name) => body[name] !== undefined).map((name) => [name, body[name]]));
  };
