import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { sessionCookieName, type IssuedSession } from '../../auth/SessionService.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import { SsoError } from '../../identity/OidcSignInService.ts';
import type { Services } from '../../services.ts';
import { cookieOf, sessionTokenOf } from '../authenticate.ts';
import { signedInView, type MeRoutesDeps } from './me.ts';
import { presentSignIn, type SignInMethods } from '../../presenters/session.ts';

/** What these routes use of the composition root. */
export type SignInRoutesDeps = MeRoutesDeps & Pick<Services, 'audit' | 'config' | 'oidcSignIn' | 'sessions' | 'signIn'>;

const oidcAttemptCookie = 'tapeout_oidc';
const oidcCookiePath = '/api/auth/oidc';

const credentials = z
  .object({ email: z.string().trim().min(1, 'enter your email').max(320), password: z.string().min(1, 'enter your password').max(1000) })
  .strict();

/**
 * Sign-in and sign-out for the web app. Sign-in takes only a JSON body, which a cross-site form
 * cannot send (no login CSRF); the session cookie is httpOnly and SameSite=Lax, and Secure
 * behind TLS. Failed attempts are limited per client address and per account (SignInService).
 */
export function signInRoutes(services: SignInRoutesDeps): Router {
  const router = Router();
  // Public, so a page can learn whether it is signed in without provoking a 401.
  router.get('/auth/session', async (req, res) => {
    const token = sessionTokenOf(req.get('cookie'));
    const session = token ? await services.sessions.resolve(token) : undefined;
    res.json(
      session ? await signedInView(services, session.principal, session.csrfToken) : { user: null, signIn: signInMethods(services) },
    );
  });
  router.post('/auth/sign-in', express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    if (!req.is('application/json')) throw new AppError(415, 'unsupported_media_type', 'Send the credentials as JSON.');
    const { email, password } = credentials.parse(req.body);
    const { user, session } = await services.signIn.signIn(email, password, req.ip ?? 'unknown');
    setSessionCookie(req, res, session);
    res.json(presentSignIn(user, session.csrfToken));
  });
  router.use(oidcRoutes(services));
  return router;
}

function signInMethods(services: SignInRoutesDeps): SignInMethods {
  return { password: services.config.passwordSignIn, sso: services.oidcSignIn ? { label: services.oidcSignIn.buttonLabel } : null };
}

function setSessionCookie(req: Request, res: Response, session: IssuedSession): void {
  res.cookie(sessionCookieName, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    expires: session.expiresAt,
  });
}

/**
 * SSO: /start sends the browser to the provider with a one-time attempt whose token only this
 * browser's cookie holds (SameSite=Lax, so it comes back on the provider's top-level redirect);
 * /callback finishes it. Failures land on the sign-in page with a code it explains.
 */
function oidcRoutes(services: SignInRoutesDeps): Router {
  const router = Router();
  const sso = () => {
    if (!services.oidcSignIn) throw new NotFoundError('Single sign-on is not configured (OIDC_ISSUER_URL)');
    return services.oidcSignIn;
  };
  const failed = (res: Response, error: unknown) => {
    if (!(error instanceof SsoError)) throw error;
    res.redirect(303, `/?signInError=${error.code}`);
  };
  router.get('/auth/oidc/start', async (req, res) => {
    const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : undefined;
    try {
      const { attemptToken, redirectUrl } = await sso().begin(returnTo, req.ip ?? 'unknown');
      res.cookie(oidcAttemptCookie, attemptToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: oidcCookiePath,
        maxAge: 10 * 60 * 1000,
      });
      res.redirect(303, redirectUrl);
    } catch (error) {
      failed(res, error);
    }
  });
  router.get('/auth/oidc/callback', async (req, res) => {
    const service = sso();
    res.clearCookie(oidcAttemptCookie, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: oidcCookiePath });
    // The URL the provider redirected to, as registered (PUBLIC_URL), whatever proxy it came through.
    const callbackUrl = new URL(`${services.config.publicUrl}${req.originalUrl}`);
    try {
      const { session, returnTo } = await service.finish(cookieOf(req, oidcAttemptCookie), callbackUrl, req.ip ?? 'unknown');
      setSessionCookie(req, res, session);
      res.redirect(303, returnTo);
    } catch (error) {
      failed(res, error);
    }
  });
  return router;
}

/** Behind authentication (and so behind the CSRF check). */
export function signOutRoutes(services: SignInRoutesDeps): Router {
  const router = Router();
  router.post('/auth/sign-out', async (req, res) => {
    let providerSignOut: string | undefined;
    if (req.session) {
      const { idTokenHint } = await services.sessions.revoke(req.session.token);
      await services.audit.record({
        action: 'auth.sign_out',
        outcome: 'success',
        actorUserId: req.principal?.userId,
        actorEmail: req.principal?.email,
        ip: req.ip,
      });
      // An SSO session signs out at the provider too, when it offers that (RP-initiated logout).
      if (idTokenHint && services.oidcSignIn)
        providerSignOut = await services.oidcSignIn.endSessionUrl(idTokenHint, `${services.config.publicUrl}/`);
    }
    res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    if (providerSignOut) res.json({ redirectTo: providerSignOut });
    else res.status(204).end();
  });
  return router;
}
