import { Router } from 'express';
import type { Principal } from '../../auth/Principal.ts';
import type { Services } from '../../services.ts';
import { principalOf } from '../authenticate.ts';
import { presentSignedIn, type ServerFacts, type SignedInResponse } from '../../presenters/session.ts';

/** What these routes use of the composition root. */
export type MeRoutesDeps = Pick<Services, 'chatModel' | 'config' | 'users'>;

/** Who is signed in, as GET /api/me and GET /api/auth/session tell it. */
export async function signedInView(services: MeRoutesDeps, principal: Principal, csrfToken: string | undefined): Promise<SignedInResponse> {
  const user = principal.email ? await services.users.findByEmail(principal.email) : undefined;
  const facts: ServerFacts = {
    answerMode: services.chatModel ? 'llm' : 'extractive',
    maxQuestionChars: services.config.chat.maxQuestionChars,
  };
  return presentSignedIn(principal, user?.name ?? '', facts, csrfToken);
}

export function meRoutes(services: MeRoutesDeps): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    res.json(await signedInView(services, principalOf(req), req.session?.csrfToken));
  });
  return router;
}
