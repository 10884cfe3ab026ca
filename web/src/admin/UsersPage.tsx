import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { UserListing } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { useUser } from '../session/SessionContext.tsx';

export function UsersPage() {
  const me = useUser();
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
      <h1>Users</h1>
      <Problem text={users.problem ?? action.problem} />
      {!users.data && !users.problem && <Loading what="users" />}
      {users.data && (
        <DataTable label="Users" columns={['Email', 'Name', 'Role', 'Groups', 'Web sign-in', 'Actions']}>
          {users.data.users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.email}</th>
              <td>{u.name}</td>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  onChange={(e) => void change(() => api(`/users/${u.id}`, { method: 'PATCH', body: { role: e.target.value } }))}
                >
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td>{u.groups.join(', ')}</td>
              <td>{!u.active ? 'deactivated' : u.managedByIdentityProvider ? 'SSO' : u.canSignIn ? 'password' : 'no password'}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={`Set password of ${u.email}`}
                  onClick={() => {
                    const password = window.prompt(`New password for ${u.email} (at least 12 characters)`);
                    if (password) void change(() => api(`/users/${u.id}`, { method: 'PATCH', body: { password } }));
                  }}
                >
                  Set password
                </button>
                {u.id !== me.id && (
                  <button type="button" aria-label={`Remove ${u.email}`} onClick={() => window.confirm(`Remove ${u.email}?`) && void change(() => api(`/users/${u.id}`, { method: 'DELETE' }))}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={create} className="card form-grid" aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <label>
          Email
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label>
          Name
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Password (optional, 12+ characters)
          <input type="password" autoComplete="new-password" minLength={12} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          Add user
        </button>
      </form>
    </>
  );
}
