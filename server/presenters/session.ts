import type { Principal } from '../auth/Principal.ts';

/** Who is signed in, as the web app keeps it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
}

/** What the web app learns about the server with its session. */
export interface ServerFacts {
  answerMode: 'llm' | 'extractive';
  /** The longest question the server takes, so the message box can say so before sending. */
  maxQuestionChars: number;
}

/** What the sign-in page offers: the password form (hidden when PASSWORD_SIGN_IN=false) and the SSO button. */
export interface SignInMethods {
  password: boolean;
  sso: { label: string } | null;
}

/** GET /api/me and a signed-in GET /api/auth/session. */
export interface SignedInResponse extends ServerFacts {
  user: { id: string | null; email: string | null; name: string; role: 'admin' | 'member' };
  /** The web app keeps this in memory and sends it back on every change. */
  csrfToken?: string;
}

/** A signed-out GET /api/auth/session. */
export interface SignedOutResponse {
  user: null;
  signIn: SignInMethods;
}

/** POST /api/auth/sign-in. */
export interface SignInResponse {
  user: SessionUser;
  csrfToken: string;
}

export function presentSignedIn(principal: Principal, name: string, facts: ServerFacts, csrfToken: string | undefined): SignedInResponse {
  return {
    user: { id: principal.userId, email: principal.email, name, role: principal.role },
    ...(csrfToken ? { csrfToken } : {}),
    answerMode: facts.answerMode,
    maxQuestionChars: facts.maxQuestionChars,
  };
}

export function presentSignIn(user: SessionUser, csrfToken: string): SignInResponse {
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, csrfToken };
}
