import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers on every response (helmet): a Content-Security-Policy that runs only our own
 * scripts (the built web app has no inline script) and lets no page frame us, nosniff, a strict
 * Referrer-Policy, and HSTS when the request came over TLS (directly, or through a proxy trusted
 * with TRUST_PROXY). `upgrade-insecure-requests` is left out: on a plain-HTTP intranet
 * deployment it would send the app's own assets to an https:// that does not exist.
 */
export function securityHeaders(): RequestHandler[] {
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 24 * 60 * 60, includeSubDomains: true });
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': null,
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: false,
    }),
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
    // API answers, file downloads and the app's shell are never stored by any cache; the built
    // assets under /assets (content-hashed names) keep express.static's own caching.
    (req, res, next) => {
      if (!req.path.startsWith('/assets/')) res.set('cache-control', 'private, no-store');
      next();
    },
  ];
}
