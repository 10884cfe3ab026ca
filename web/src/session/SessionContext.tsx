import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { api, errorText, requestsSettled, setCsrfToken } from '../api/client.ts';
import type { SessionUser } from '../api/types.ts';
import { closeSocket } from '../realtime/socket.ts';

interface ServerFacts {
  answerMode: 'llm' | 'extractive';
  maxQuestionChars: number;
}

type SessionResponse = { user: null } | ({ user: SessionUser; csrfToken: string } & ServerFacts);

type SessionState = { kind: 'loading' } | { kind: 'signed-out'; problem?: string } | ({ kind: 'signed-in'; user: SessionUser } & ServerFacts);

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
      if (!session.user) return setState({ kind: 'signed-out' });
      setCsrfToken(session.csrfToken);
      setState({ kind: 'signed-in', user: session.user, answerMode: session.answerMode, maxQuestionChars: session.maxQuestionChars });
    } catch (error) {
      setState({ kind: 'signed-out', problem: errorText(error) });
    }
  }, []);

  useEffect(() => void load(), [load]);

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
        await api('/auth/sign-out', { method: 'POST' }).catch(() => undefined);
        closeSocket();
        setCsrfToken(undefined);
        setState({ kind: 'signed-out' });
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
