import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx';
import { useSession, useUser } from '../session/SessionContext.tsx';

/** Header with the navigation every page shares; the Admin link only for admins. */
export function AppShell({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const { t } = useTranslation();
  return (
    <div className="shell">
      <a href="#content" className="skip-link">
        {t('Skip to content')}
      </a>
      <header className="topbar">
        <span className="brand">Tapeout</span>
        <nav aria-label={t('Main')}>
          <NavLink to="/" end>
            {t('Chat')}
          </NavLink>
          {user.role === 'admin' && <NavLink to="/admin">{t('Admin')}</NavLink>}
        </nav>
        <div className="account">
          <LanguageSwitcher />
          <span className="who" title={user.email}>
            {user.name || user.email}
          </span>
          <button type="button" onClick={() => void signOut()}>
            {t('Sign out')}
          </button>
        </div>
      </header>
      <div id="content" className="content">
        {children}
      </div>
    </div>
  );
}
