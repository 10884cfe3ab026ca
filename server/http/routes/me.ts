import { Router } from 'express';
import type { Principal } from '../../auth/Principal.ts';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';

/** What the web app learns about the server with its session. */
export interface ServerFacts {
  answerMode: 'llm' | 'extractive';
  /** The longest question the server takes, so the message box can say so before sending. */
  maxQuestionChars: number;
}

/** Who is signed in, as GET /api/me and GET /api/auth/session tell it. */
export async function signedInView(services: Services, principal: Principal, csrfToken: string | undefined) {
  const user = principal.email ? await services.users.findByEmail(principal.email) : undefined;
  const facts: ServerFacts = {
    answerMode: services.chatModel ? 'llm' : 'extractive',
    maxQuestionChars: services.config.chat.maxQuestionChars,
  };
  return {
    user: { id: principal.userId, email: principal.email, name: user?.name ?? '', role: principal.role },
    // The web app keeps this in memory and sends it back on every change.
    ...(csrfToken ? { csrfToken } : {}),
    ...facts,
  };
}

export function meRoutes(services: Services): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    res.json(await signedInView(services, principalOf(req), req.session?.csrfToken));
  });
  return router;
}
