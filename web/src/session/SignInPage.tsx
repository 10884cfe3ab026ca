import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';
import { i18n } from '../i18n/i18n.ts';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx';
import { useSession, type SignInMethods } from './SessionContext.tsx';

/** What the sign-in page says when single sign-on came back with ?signInError=<code>. */
const ssoProblems: Record<string, string> = {
  sso_attempt_missing: 'That sign-in expired or was already used. Please start again.',
  sso_state_mismatch: 'That sign-in did not start in this browser. Please start again.',
  sso_provider_error: 'The identity provider refused the sign-in.',
  sso_failed: "The identity provider's answer could not be verified. Ask your administrator to check the SSO settings.",
  sso_email_unverified: 'Your email address is not verified at the identity provider.',
  sso_domain_not_allowed: "Your account's email domain may not sign in here.",
  sso_account_deactivated: 'Your account has been deactivated. Ask your administrator.',
  sso_unavailable: 'The identity provider cannot be reached right now. Try again in a minute.',
  sso_too_many_attempts: 'Too many sign-ins were started from this address. Try again in a few minutes.',
};

function ssoProblemFromAddress(): string | undefined {
  const code = new URLSearchParams(window.location.search).get('signInError');
  return code ? i18n.t(ssoProblems[code] ?? 'Single sign-on failed.') : undefined;
}

/** `?password` shows the password form even when PASSWORD_SIGN_IN=false: the admins' break-glass way in. */
const breakGlass = () => new URLSearchParams(window.location.search).has('password');

export function SignInPage({ problem, methods }: { problem?: string; methods?: SignInMethods }) {
  const { signIn } = useSession();
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(problem ?? ssoProblemFromAddress());
  const [busy, setBusy] = useState(false);
  const showPassword = !methods || methods.password || breakGlass();
  const returnTo = window.location.pathname + window.location.search.replace(/[?&]signInError=[^&]*/, '').replace(/^&/, '?');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email, password);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">{t('Sign in to Tapeout')}</h1>
        {methods?.sso && (
          <a className="button primary sso" href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}>
            {methods.sso.label}
          </a>
        )}
        {showPassword && (
          <>
            {methods?.sso && <p className="hint">{t('or with a password')}</p>}
            <label>
              {t('Email')}
              <input
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoFocus={!methods?.sso}
              />
            </label>
            <label>
              {t('Password')}
              <input
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {showPassword && (
          <button type="submit" className={methods?.sso ? undefined : 'primary'} disabled={busy}>
            {busy ? t('Signing in…') : t('Sign in')}
          </button>
        )}
        {showPassword && !methods?.sso && (
          <p className="hint">{t("The first admin's password is printed once in the server's console when Tapeout first starts.")}</p>
        )}
        <LanguageSwitcher />
      </form>
    </main>
  );
}
