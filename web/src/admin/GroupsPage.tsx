import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Group } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';

function GroupCard({ group, change }: { group: Group; change: (call: () => Promise<unknown>) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const { t } = useTranslation();
  const base = `/groups/${group.id}`;
  return (
    <li className="card">
      <div className="row">
        <h2>{group.name}</h2>
        {group.builtin && <span className="badge">{t('built in: every user')}</span>}
        {group.managedBy && (
          <span className="badge">{t('managed by the identity provider ({{provider}})', { provider: group.managedBy.toUpperCase() })}</span>
        )}
        {!group.builtin && !group.managedBy && (
          <button
            type="button"
            aria-label={t('Delete group {{name}}', { name: group.name })}
            onClick={() =>
              window.confirm(t('Delete the group {{name}}?', { name: group.name })) && void change(() => api(base, { method: 'DELETE' }))
            }
          >
            {t('Delete')}
          </button>
        )}
      </div>
      {group.description && <p>{group.description}</p>}
      <p>
        {t('Collections:')} {group.grants.length ? group.grants.map((g) => `${g.collection} (${t(g.permission)})`).join(', ') : t('none')}
      </p>
      {group.managedBy && (
        <ul className="members" aria-label={t('Members of {{name}}', { name: group.name })}>
          {group.members.map((m) => (
            <li key={m.id}>{m.email}</li>
          ))}
        </ul>
      )}
      {!group.builtin && !group.managedBy && (
        <>
          <ul className="members" aria-label={t('Members of {{name}}', { name: group.name })}>
            {group.members.map((m) => (
              <li key={m.id}>
                {m.email}{' '}
                <button
                  type="button"
                  aria-label={t('Remove {{email}} from {{name}}', { email: m.email, name: group.name })}
                  onClick={() => void change(() => api(`${base}/members/${m.id}`, { method: 'DELETE' }))}
                >
                  {t('Remove')}
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
              {t('Add member by email')}
              <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <button type="submit">{t('Add')}</button>
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
  const { t } = useTranslation();
  const change = async (call: () => Promise<unknown>) => {
    if (await action.run(call)) void groups.reload();
  };
  return (
    <>
      <h1>{t('Groups')}</h1>
      <p className="hint">{t('Collections are granted to groups, under Collections › Settings.')}</p>
      <Problem text={groups.problem ?? action.problem} />
      {!groups.data && !groups.problem && <Loading what={t('groups')} />}
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
          {t('New group')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('Create group')}
        </button>
      </form>
    </>
  );
}
