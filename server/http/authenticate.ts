import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../auth/Principal.ts';
import { isAdmin } from '../auth/Principal.ts';
import { AuthenticationError, ForbiddenError } from '../errors.ts';
import type { UserService } from '../users/UserService.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Accepts `Authorization: Bearer <api key>` on every /api route. */
export function authenticate(users: UserService): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header) return next(new AuthenticationError());
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return next(new AuthenticationError('Malformed Authorization header: expected "Bearer <api key>".'));
    const principal = await users.principalForApiKey(match[1]!);
    if (!principal) return next(new AuthenticationError('Invalid, revoked or expired API key.'));
    req.principal = principal;
    req.log = req.log.child({ userId: principal.userId });
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AuthenticationError();
  return req.principal;
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  next(isAdmin(principalOf(req)) ? undefined : new ForbiddenError('Only admins can do this.'));
};
