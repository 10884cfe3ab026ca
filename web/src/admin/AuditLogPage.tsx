import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEventRow } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';

interface Filters {
  action: string;
  actor: string;
  outcome: '' | 'success' | 'failure';
  from: string;
  to: string;
}

const empty: Filters = { action: '', actor: '', outcome: '', from: '', to: '' };

function queryOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, name === 'to' ? nextDay(value) : value);
  return params.toString();
}

/** "To" is inclusive in the form: events up to the end of that day. */
function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + 1);
  return day.toISOString();
}

/** Admin › Audit log: who did what, when and from where; filtered, and exported as CSV with the same filters. */
export function AuditLogPage() {
  const [form, setForm] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const { t } = useTranslation();
  const query = queryOf(applied);
  const events = useResource<{ events: AuditEventRow[]; retentionDays: number }>(`/audit-events?limit=200${query ? `&${query}` : ''}`);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(form);
  };
  const field = (name: keyof Filters) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  return (
    <>
      <h1>{t('Audit log')}</h1>
      <p className="hint">
        {t('Sign-ins, SSO and SCIM changes, keys, roles, groups, grants, collections, documents, assistants and Slack bindings.')}
        {events.data && ` ${t('Kept for {{days}} days (AUDIT_RETENTION_DAYS).', { days: events.data.retentionDays })}`}
      </p>
      <form className="card inline-form" onSubmit={apply} aria-label={t('Filter the audit log')}>
        <label>
          {t('Action')}
          <input {...field('action')} placeholder="auth, scim.user_deactivated…" />
        </label>
        <label>
          {t('Actor')}
          <input {...field('actor')} placeholder={t('email')} />
        </label>
        <label>
          {t('Outcome')}
          <select {...field('outcome')}>
            <option value="">{t('any')}</option>
            <option value="success">{t('success')}</option>
            <option value="failure">{t('failure')}</option>
          </select>
        </label>
        <label>
          {t('From')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('To')}
          <input type="date" {...field('to')} />
        </label>
        <button type="submit" className="primary">
          {t('Filter')}
        </button>
        <a className="button" href={`/api/audit-events.csv${query ? `?${query}` : ''}`} download>
          {t('Export CSV')}
        </a>
      </form>
      <Problem text={events.problem} />
      {!events.data && !events.problem && <Loading what={t('audit events')} />}
      {events.data && (
        <DataTable
          label={t('Audit events')}
          columns={[t('Time'), t('Action'), t('Outcome'), t('Actor'), t('Target'), t('Address'), t('Details')]}
        >
          {events.data.events.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.createdAt).toLocaleString()}</td>
              <th scope="row">{event.action}</th>
              <td>{t(event.outcome)}</td>
              <td dir="auto">{event.actorEmail ?? '—'}</td>
              <td>{event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}</td>
              <td>{event.ip ?? '—'}</td>
              <td dir="auto">
                <code className="audit-details">{JSON.stringify(event.details)}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {events.data?.events.length === 0 && <p>{t('No events match.')}</p>}
    </>
  );
}
