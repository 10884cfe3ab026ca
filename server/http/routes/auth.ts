import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { sessionCookieName } from '../../auth/SessionService.ts';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { sessionTokenOf } from '../authenticate.ts';
import { signedInView } from './me.ts';

const credentials = z.object({ email: z.string().trim().min(1, 'enter your email').max(320), password: z.string().min(1, 'enter your password').max(1000) }).strict();

/**
 * Sign-in and sign-out for the web app. Sign-in takes only a JSON body, which a cross-site form
 * cannot send (no login CSRF); the session cookie is httpOnly and SameSite=Lax, and Secure
 * behind TLS. Failed attempts are limited per client address and per account (SignInService).
 */
export function signInRoutes(services: Services): Router {
  const router = Router();
  // Public, so a page can learn whether it is signed in without provoking a 401.
  router.get('/auth/session', async (req, res) => {
    const token = sessionTokenOf(req.get('cookie'));
    const session = token ? await services.sessions.resolve(token) : undefined;
    res.json(session ? await signedInView(services, session.principal, session.csrfToken) : { user: null });
  });
  router.post('/auth/sign-in', express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    if (!req.is('application/json')) throw new AppError(415, 'unsupported_media_type', 'Send the credentials as JSON.');
    const { email, password } = credentials.parse(req.body);
    const { user, session } = await services.signIn.signIn(email, password, req.ip ?? 'unknown');
    res.cookie(sessionCookieName, session.token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: session.expiresAt });
    res.json({ user: { id: user.id, email: user.email, name: user.name, role: user.role }, csrfToken: session.csrfToken });
  });
  return router;
}

/** Behind authentication (and so behind the CSRF check). */
export function signOutRoutes(services: Services): Router {
  const router = Router();
  router.post('/auth/sign-out', async (req, res) => {
    if (req.session) {
      await services.sessions.revoke(req.session.token);
      await services.audit.record({ action: 'auth.sign_out', outcome: 'success', actorUserId: req.principal?.userId, actorEmail: req.principal?.email, ip: req.ip });
    }
    res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.status(204).end();
  });
  return router;
}
