import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { McpSignIn } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : '—');

/** The MCP clients people signed in with (OAuth), each revocable: its tokens stop and its sessions end at once. */
export function McpSignInsSection() {
  const signIns = useResource<{ signIns: McpSignIn[] }>('/mcp/sign-ins');
  const action = useAction();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="mcp-sign-ins">
      <h2 id="mcp-sign-ins">{t('MCP sign-ins')}</h2>
      <p className="hint">{t('IDE agents and other MCP clients signed in at /mcp through Tapeout’s sign-in page.')}</p>
      <Problem text={signIns.problem ?? action.problem} />
      {!signIns.data && !signIns.problem && <Loading what={t('MCP sign-ins')} />}
      {signIns.data && signIns.data.signIns.length === 0 && <p>{t('No MCP client is signed in.')}</p>}
      {signIns.data && signIns.data.signIns.length > 0 && (
        <DataTable label={t('MCP sign-ins')} columns={[t('Client'), t('User'), t('Signed in'), t('Last used'), t('State')]}>
          {signIns.data.signIns.map((signIn) => (
            <tr key={signIn.id}>
              <th scope="row">{signIn.client.name ?? signIn.client.id}</th>
              <td>{signIn.user.email}</td>
              <td>{when(signIn.createdAt)}</td>
              <td>{when(signIn.lastUsedAt)}</td>
              <td>
                <button
                  type="button"
                  aria-label={t('Revoke {{name}}', { name: signIn.client.name ?? signIn.client.id })}
                  onClick={() =>
                    void action
                      .run(() => api(`/mcp/sign-ins/${signIn.id}`, { method: 'DELETE' }))
                      .then((ok) => void (ok && signIns.reload()))
                  }
                >
                  {t('Revoke')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
