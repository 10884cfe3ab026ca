import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { AuthorizationRequest } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';
import { useUser } from './SessionContext.tsx';

/**
 * /oauth/consent/:id: an MCP client (an IDE agent, a CLI) asks to act as the signed-in user. The
 * user sees which client and where the answer goes, and approves or declines; the browser then
 * goes to the client's redirect URI with a code (or access_denied), as OAuth's authorization
 * code flow does. The client's name is its own claim: it is shown as text, next to where it goes.
 */
export function McpConsentPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const { t } = useTranslation();
  const request = useResource<{ request: AuthorizationRequest }>(`/mcp/authorizations/${encodeURIComponent(id)}`);
  const action = useAction();
  const [leaving, setLeaving] = useState(false);
  const answer = async (verdict: 'approve' | 'deny') => {
    let target: string | undefined;
    const ok = await action.run(async () => {
      target = (await api<{ redirectTo: string }>(`/mcp/authorizations/${encodeURIComponent(id)}/${verdict}`, { method: 'POST' }))
        .redirectTo;
    });
    if (ok && target) {
      setLeaving(true);
      window.location.assign(target);
    }
  };
  const asked = request.data?.request;
  return (
    <main className="page consent" aria-labelledby="consent-title">
      <h1 id="consent-title">{t('Sign in an MCP client')}</h1>
      <Problem text={request.problem ?? action.problem} />
      {!asked && !request.problem && <Loading what={t('the request')} />}
      {asked && !leaving && (
        <div className="card">
          <p>
            {t('{{client}} asks to use Tapeout as you ({{email}}).', {
              client: asked.client.name ?? t('An unnamed client'),
              email: user.email,
            })}
          </p>
          <p>
            {t('It could search and ask about the documents you may read, and nothing else. After you answer, your browser goes to:')}{' '}
            <code>{asked.redirectHost}</code> {asked.local && t('(an app on this computer)')}
          </p>
          <p className="hint">
            {t('Only approve if you started this sign-in yourself. An admin can revoke it at any time under Admin › API keys.')}
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={action.busy} onClick={() => void answer('approve')}>
              {t('Approve')}
            </button>
            <button type="button" disabled={action.busy} onClick={() => void answer('deny')}>
              {t('Decline')}
            </button>
          </div>
        </div>
      )}
      {leaving && <p role="status">{t('Returning to the client…')}</p>}
    </main>
  );
}
