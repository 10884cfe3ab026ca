import { Router } from 'express';
import type { Principal } from '../../auth/Principal.ts';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';

/** Who is signed in, as GET /api/me and GET /api/auth/session tell it. */
export async function signedInView(services: Services, principal: Principal, csrfToken: string | undefined) {
  const user = principal.email ? await services.users.findByEmail(principal.email) : undefined;
  return {
    user: { id: principal.userId, email: principal.email, name: user?.name ?? '', role: principal.role },
    // The web app keeps this in memory and sends it back on every change.
    ...(csrfToken ? { csrfToken } : {}),
    answerMode: services.chatModel ? 'llm' : 'extractive',
    // The longest question the server takes, so the message box can say so before sending.
    maxQuestionChars: services.config.chat.maxQuestionChars,
  };
}

export function meRoutes(services: Services): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    res.json(await signedInView(services, principalOf(req), req.session?.csrfToken));
  });
  return router;
}
