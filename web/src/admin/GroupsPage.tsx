import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Group } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';

function GroupCard({ group, change }: { group: Group; change: (call: () => Promise<unknown>) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const base = `/groups/${group.id}`;
  return (
    <li className="card">
      <div className="row">
        <h2>{group.name}</h2>
        {group.builtin && <span className="badge">built in: every user</span>}
        {group.managedBy && <span className="badge">managed by the identity provider ({group.managedBy.toUpperCase()})</span>}
        {!group.builtin && !group.managedBy && (
          <button type="button" aria-label={`Delete group ${group.name}`} onClick={() => window.confirm(`Delete the group ${group.name}?`) && void change(() => api(base, { method: 'DELETE' }))}>
            Delete
          </button>
        )}
      </div>
      {group.description && <p>{group.description}</p>}
      <p>Collections: {group.grants.length ? group.grants.map((g) => `${g.collection} (${g.permission})`).join(', ') : 'none'}</p>
      {group.managedBy && (
        <ul className="members" aria-label={`Members of ${group.name}`}>
          {group.members.map((m) => (
            <li key={m.id}>{m.email}</li>
          ))}
        </ul>
      )}
      {!group.builtin && !group.managedBy && (
        <>
          <ul className="members" aria-label={`Members of ${group.name}`}>
            {group.members.map((m) => (
              <li key={m.id}>
                {m.email}{' '}
                <button type="button" aria-label={`Remove ${m.email} from ${group.name}`} onClick={() => void change(() => api(`${base}/members/${m.id}`, { method: 'DELETE' }))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <form
            className="inline-form"
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              void change(() => api(`${base}/members`, { method: 'POST', body: { email } })).then(() => setEmail(''));
            }}
          >
            <label>
              Add member by email
              <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <button type="submit">Add</button>
          </form>
        </>
      )}
    </li>
  );
}

export function GroupsPage() {
  const groups = useResource<{ groups: Group[] }>('/groups');
  const action = useAction();
  const [name, setName] = useState('');
  const change = async (call: () => Promise<unknown>) => {
    if (await action.run(call)) void groups.reload();
  };
  return (
    <>
      <h1>Groups</h1>
      <p className="hint">Collections are granted to groups, under Collections › Settings.</p>
      <Problem text={groups.problem ?? action.problem} />
      {!groups.data && !groups.problem && <Loading what="groups" />}
      <ul className="group-list">
        {groups.data?.groups.map((group) => (
          <GroupCard key={group.id} group={group} change={change} />
        ))}
      </ul>
      <form
        className="card inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void change(() => api('/groups', { method: 'POST', body: { name } })).then(() => setName(''));
        }}
      >
        <label>
          New group
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Create group
        </button>
      </form>
    </>
  );
}
