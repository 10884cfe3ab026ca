import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { UserListing } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { useUser } from '../session/SessionContext.tsx';

export function UsersPage() {
  const me = useUser();
  const { t } = useTranslation();
  const users = useResource<{ users: UserListing[] }>('/users');
  const action = useAction();
  const [form, setForm] = useState({ email: '', name: '', role: 'member', password: '' });
  const change = async (call: () => Promise<unknown>) => (await action.run(call)) && void users.reload();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const body = { email: form.email, name: form.name, role: form.role, ...(form.password ? { password: form.password } : {}) };
    if (await action.run(() => api('/users', { method: 'POST', body }))) {
      setForm({ email: '', name: '', role: 'member', password: '' });
      void users.reload();
    }
  };
  return (
    <>
      <h1>{t('Users')}</h1>
      <Problem text={users.problem ?? action.problem} />
      {!users.data && !users.problem && <Loading what={t('users')} />}
      {users.data && (
        <DataTable label={t('Users')} columns={[t('Email'), t('Name'), t('Role'), t('Groups'), t('Web sign-in'), t('Actions')]}>
          {users.data.users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.email}</th>
              <td>{u.name || [u.givenName, u.familyName].filter(Boolean).join(' ')}</td>
              <td>
                <select
                  aria-label={t('Role of {{email}}', { email: u.email })}
                  value={u.role}
                  onChange={(e) => void change(() => api(`/users/${u.id}`, { method: 'PATCH', body: { role: e.target.value } }))}
                >
                  <option value="member">{t('member')}</option>
                  <option value="admin">{t('admin')}</option>
                </select>
              </td>
              <td>{u.groups.join(', ')}</td>
              <td>{t(!u.active ? 'deactivated' : u.managedByIdentityProvider ? 'SSO' : u.canSignIn ? 'password' : 'no password')}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={t('Set password of {{email}}', { email: u.email })}
                  onClick={() => {
                    const password = window.prompt(t('New password for {{email}} (at least 12 characters)', { email: u.email }));
                    if (password) void change(() => api(`/users/${u.id}`, { method: 'PATCH', body: { password } }));
                  }}
                >
                  {t('Set password')}
                </button>
                {u.id !== me.id && (
                  <button
                    type="button"
                    aria-label={t('Remove {{email}}', { email: u.email })}
                    onClick={() =>
                      window.confirm(t('Remove {{email}}?', { email: u.email })) &&
                      void change(() => api(`/users/${u.id}`, { method: 'DELETE' }))
                    }
                  >
                    {t('Remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={create} className="card form-grid" aria-labelledby="new-user">
        <h2 id="new-user">{t('New user')}</h2>
        <label>
          {t('Email')}
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label>
          {t('Name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('Role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            <option value="member">{t('member')}</option>
            <option value="admin">{t('admin')}</option>
          </select>
        </label>
        <label>
          {t('Password (optional, 12+ characters)')}
          <input
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('Add user')}
        </button>
      </form>
    </>
  );
}
