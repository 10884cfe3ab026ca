import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { sessionCookieName } from '../../auth/SessionService.ts';
import { AppError, AuthenticationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { sessionTokenOf } from '../authenticate.ts';
import { signedInView } from './me.ts';

const credentials = z.object({ email: z.string().trim().min(1, 'enter your email').max(320), password: z.string().min(1, 'enter your password').max(1000) }).strict();

class TooManyAttemptsError extends AppError {
  constructor() {
    super(429, 'too_many_attempts', 'Too many failed sign-ins from here; wait 15 minutes and try again.');
  }
}

/**
 * Sign-in and sign-out for the web app. Sign-in takes only a JSON body, which a cross-site form
 * cannot send (no login CSRF); the session cookie is httpOnly and SameSite=Lax, and Secure
 * behind TLS. Failed attempts are limited per client address.
 */
export function signInRoutes(services: Services): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new TooManyAttemptsError()),
  });
  // Public, so a page can learn whether it is signed in without provoking a 401.
  router.get('/auth/session', async (req, res) => {
    const token = sessionTokenOf(req.get('cookie'));
    const session = token ? await services.sessions.resolve(token) : undefined;
    res.json(session ? await signedInView(services, session.principal, session.csrfToken) : { user: null });
  });
  router.post('/auth/sign-in', limiter, express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    if (!req.is('application/json')) throw new AppError(415, 'unsupported_media_type', 'Send the credentials as JSON.');
    const { email, password } = credentials.parse(req.body);
    const user = await services.users.verifyCredentials(email, password);
    if (!user) throw new AuthenticationError('Wrong email or password.');
    const session = await services.sessions.create(user.id);
    res.cookie(sessionCookieName, session.token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: session.expiresAt });
    req.log.info({ userId: user.id }, 'signed in');
    res.json({ user: { id: user.id, email: user.email, name: user.name, role: user.role }, csrfToken: session.csrfToken });
  });
  return router;
}

/** Behind authentication (and so behind the CSRF check). */
export function signOutRoutes(services: Services): Router {
  const router = Router();
  router.post('/auth/sign-out', async (req, res) => {
    if (req.session) await services.sessions.revoke(req.session.token);
    res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.status(204).end();
  });
  return router;
}
