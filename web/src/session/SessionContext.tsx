import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { api, errorText, requestsSettled, sessionEndedEvent, setCsrfToken } from '../api/client.ts';
import type { ServerFacts, SessionUser, SignInMethods } from '../api/types.ts';
import { closeSocket } from '../realtime/socket.ts';

export type { SignInMethods };

type SessionResponse = { user: null; signIn: SignInMethods } | ({ user: SessionUser; csrfToken: string } & ServerFacts);

type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; problem?: string; methods?: SignInMethods }
  | ({ kind: 'signed-in'; user: SessionUser } & ServerFacts);

interface Session {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  const load = useCallback(async () => {
    try {
      const session = await api<SessionResponse>('/auth/session');
      if (!session.user) return setState({ kind: 'signed-out', methods: session.signIn });
      setCsrfToken(session.csrfToken);
      setState({ kind: 'signed-in', user: session.user, answerMode: session.answerMode, maxQuestionChars: session.maxQuestionChars });
    } catch (error) {
      setState({ kind: 'signed-out', problem: errorText(error) });
    }
  }, []);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    const ended = async (event: Event) => {
      closeSocket();
      setCsrfToken(undefined);
      const problem = String((event as CustomEvent).detail ?? 'Your session has ended; sign in again.');
      const session = await api<SessionResponse>('/auth/session').catch(() => undefined);
      const methods = session && !session.user ? session.signIn : undefined;
      setState((current) => (current.kind === 'signed-in' ? { kind: 'signed-out', problem, methods } : current));
    };
    const listener = (event: Event) => void ended(event);
    window.addEventListener(sessionEndedEvent, listener);
    return () => window.removeEventListener(sessionEndedEvent, listener);
  }, []);

  const session = useMemo<Session>(
    () => ({
      state,
      async signIn(email, password) {
        await api('/auth/sign-in', { method: 'POST', body: { email, password } });
        await load();
      },
      async signOut() {
        // Unmount the app first and let its cleanups (such as deleting the "try it" scratch
        // conversation) finish while the session still works.
        flushSync(() => setState({ kind: 'loading' }));
        await requestsSettled();
        const answer = await api<{ redirectTo?: string } | undefined>('/auth/sign-out', { method: 'POST' }).catch(() => undefined);
        closeSocket();
        setCsrfToken(undefined);
        // Signed in through SSO: sign out at the identity provider too, which sends the browser back.
        if (answer?.redirectTo) return window.location.assign(answer.redirectTo);
        await load();
      },
    }),
    [state, load],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for components rendered behind the sign-in gate. */
export function useUser(): SessionUser & ServerFacts {
  const { state } = useSession();
  if (state.kind !== 'signed-in') throw new Error('useUser while signed out');
  return { ...state.user, answerMode: state.answerMode, maxQuestionChars: state.maxQuestionChars };
}
