import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { ApiKeyListing } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { McpSignInsSection } from './McpSignInsSection.tsx';

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : '—');

export function ApiKeysPage() {
  const keys = useResource<{ apiKeys: ApiKeyListing[] }>('/api-keys');
  const action = useAction();
  const [form, setForm] = useState({ name: '', owner: '', expiresInDays: '' });
  const [created, setCreated] = useState<string>();
  const { t } = useTranslation();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name: form.name,
      ...(form.owner ? { owner: form.owner } : {}),
      ...(form.expiresInDays ? { expiresInDays: Number(form.expiresInDays) } : {}),
    };
    let key: string | undefined;
    if (await action.run(async () => (key = (await api<{ key: string }>('/api-keys', { method: 'POST', body })).key))) {
      setCreated(key);
      setForm({ name: '', owner: '', expiresInDays: '' });
      void keys.reload();
    }
  };
  return (
    <>
      <h1>{t('API keys')}</h1>
      <p className="hint">
        {t('For scripts, the OpenAI-compatible API at /v1, MCP clients at /mcp and integrations:')}{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>
      </p>
      <Problem text={keys.problem ?? action.problem} />
      {created && (
        <div role="status" className="card new-key">
          <p>{t('Copy the new key now; it is not shown again:')}</p>
          <code>{created}</code>
        </div>
      )}
      {!keys.data && !keys.problem && <Loading what={t('API keys')} />}
      {keys.data && (
        <DataTable label={t('API keys')} columns={[t('Name'), t('Key'), t('Owner'), t('Last used'), t('Expires'), t('State')]}>
          {keys.data.apiKeys.map((k) => (
            <tr key={k.id}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.owner}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>{when(k.expiresAt)}</td>
              <td>
                {k.revokedAt ? (
                  t('revoked {{when}}', { when: when(k.revokedAt) })
                ) : (
                  <button
                    type="button"
                    aria-label={t('Revoke {{name}}', { name: k.name })}
                    onClick={() =>
                      void action.run(() => api(`/api-keys/${k.id}`, { method: 'DELETE' })).then((ok) => void (ok && keys.reload()))
                    }
                  >
                    {t('Revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={create} className="card form-grid" aria-labelledby="new-key">
        <h2 id="new-key">{t('New API key')}</h2>
        <label>
          {t('Name')}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t("Owner's email (empty: you)")}
          <input type="email" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.target.value })} />
        </label>
        <label>
          {t('Expires after (days, empty: never)')}
          <input
            type="number"
            min={1}
            max={3650}
            value={form.expiresInDays}
            onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })}
          />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('Create key')}
        </button>
      </form>
      <McpSignInsSection />
    </>
  );
}
