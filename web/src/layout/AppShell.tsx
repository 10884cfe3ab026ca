import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useSession, useUser } from '../session/SessionContext.tsx';

/** Header with the navigation every page shares; the Admin link only for admins. */
export function AppShell({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  return (
    <div className="shell">
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Tapeout</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Chat
          </NavLink>
          {user.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <div className="account">
          <span className="who" title={user.email}>
            {user.name || user.email}
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div id="content" className="content">
        {children}
      </div>
    </div>
  );
}
