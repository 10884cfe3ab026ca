import { parseCookie } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../auth/Principal.ts';
import { csrfHeaderName, sameCsrfToken, sessionCookieName, type SessionService } from '../auth/SessionService.ts';
import { requireAdmin } from '../access/policies.ts';
import { AuthenticationError, ForbiddenError } from '../errors.ts';
import type { UserService } from '../users/UserService.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Set when the request was authenticated by the browser session cookie. */
    session?: { token: string; csrfToken: string };
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[sessionCookieName] : undefined;
}

export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  return header ? parseCookie(header)[name] : undefined;
}

/**
 * Accepts `Authorization: Bearer <api key>` (scripts, /v1 clients) or the web app's session
 * cookie. A cookie-authenticated request that changes anything must carry the session's CSRF
 * token in X-CSRF-Token: the cookie alone would be sent by any page the user visits too.
 */
export function authenticate(users: UserService, sessions: SessionService): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const token = sessionTokenOf(req.get('cookie'));
    if (!header && !token)
      return next(new AuthenticationError('Authentication required: sign in, or send Authorization: Bearer <api key>.'));
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return next(new AuthenticationError('Malformed Authorization header: expected "Bearer <api key>".'));
      const principal = await users.principalForApiKey(match[1]!);
      if (!principal) return next(new AuthenticationError('Invalid, revoked or expired API key.'));
      req.principal = principal;
    } else {
      const session = await sessions.resolve(token!);
      if (!session) return next(new AuthenticationError('Your session has ended; sign in again.'));
      if (!safeMethods.has(req.method) && !sameCsrfToken(req.get(csrfHeaderName), session.csrfToken)) {
        return next(new ForbiddenError('Missing or wrong X-CSRF-Token header; reload the page and try again.'));
      }
      req.principal = session.principal;
      req.session = { token: token!, csrfToken: session.csrfToken };
    }
    req.log = req.log.child({ userId: req.principal.userId });
    next();
  };
}

/** The principal of a request that may come without credentials (a public page): undefined when none or invalid. */
export async function principalIfAny(req: Request, users: UserService, sessions: SessionService): Promise<Principal | undefined> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer) return users.principalForApiKey(bearer);
  const token = sessionTokenOf(req.get('cookie'));
  return token ? (await sessions.resolve(token))?.principal : undefined;
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AuthenticationError();
  return req.principal;
}

/**
 * Refuses a request whose Origin (sent by browsers) is not one of `allowed`: a page elsewhere, or
 * a DNS-rebinding attack, must not reach an endpoint meant for other programs (MCP's transport
 * spec asks this of /mcp). Requests without an Origin (CLIs, IDE agents) pass.
 */
export function refuseForeignOrigins(allowed: ReadonlySet<string>, setting: string): RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin');
    if (origin && !allowed.has(origin))
      return next(new ForbiddenError(`Origin ${origin} may not call this endpoint; add it to ${setting} if it should.`));
    next();
  };
}

/** Route middleware: the decision is access/policies.ts's requireAdmin. */
export const adminsOnly: RequestHandler = (req, _res, next) => {
  try {
    requireAdmin(principalOf(req));
    next();
  } catch (error) {
    next(error);
  }
};
