import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ChatPage } from './chat/ChatPage.tsx';
import { SourcePage } from './chat/SourcePage.tsx';
import { AppShell } from './layout/AppShell.tsx';
import { SessionProvider, useSession } from './session/SessionContext.tsx';
import { SignInPage } from './session/SignInPage.tsx';
import { McpConsentPage } from './session/McpConsentPage.tsx';
import { StatusPage } from './status/StatusPage.tsx';

// Most people never open the console, so its code (charts included) loads only when they do.
const AdminConsole = lazy(() => import('./admin/AdminConsole.tsx').then((module) => ({ default: module.AdminConsole })));

function Gate() {
  const { state } = useSession();
  if (state.kind === 'loading') {
    return (
      <p role="status" className="page-loading">
        Loading Tapeout…
      </p>
    );
  }
  if (state.kind === 'signed-out') return <SignInPage problem={state.problem} methods={state.methods} />;
  return (
    <AppShell>
      <Routes>
        <Route path="/" element={<ChatPage />} />
        <Route path="/sources/:chunkId" element={<SourcePage />} />
        <Route path="/oauth/consent/:id" element={<McpConsentPage />} />
        <Route
          path="/admin/*"
          element={
            <Suspense fallback={<p role="status">Loading the admin console…</p>}>
              <AdminConsole />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </AppShell>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        {/* The service status needs no sign-in: it is what you open when nothing else works. */}
        <Route path="/status" element={<StatusPage />} />
        <Route
          path="*"
          element={
            <SessionProvider>
              <Gate />
            </SessionProvider>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}
