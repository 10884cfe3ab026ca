import { useState, type FormEvent } from 'react';
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
  const query = queryOf(applied);
  const events = useResource<{ events: AuditEventRow[]; retentionDays: number }>(`/audit-events?limit=200${query ? `&${query}` : ''}`);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(form);
  };
  const field = (name: keyof Filters) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });
  return (
    <>
      <h1>Audit log</h1>
      <p className="hint">
        Sign-ins, SSO and SCIM changes, keys, roles, groups, grants, collections, documents, assistants and Slack bindings.
        {events.data && ` Kept for ${events.data.retentionDays} days (AUDIT_RETENTION_DAYS).`}
      </p>
      <form className="card inline-form" onSubmit={apply} aria-label="Filter the audit log">
        <label>
          Action
          <input {...field('action')} placeholder="auth, scim.user_deactivated…" />
        </label>
        <label>
          Actor
          <input {...field('actor')} placeholder="email" />
        </label>
        <label>
          Outcome
          <select {...field('outcome')}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <label>
          From
          <input type="date" {...field('from')} />
        </label>
        <label>
          To
          <input type="date" {...field('to')} />
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
        <a className="button" href={`/api/audit-events.csv${query ? `?${query}` : ''}`} download>
          Export CSV
        </a>
      </form>
      <Problem text={events.problem} />
      {!events.data && !events.problem && <Loading what="audit events" />}
      {events.data && (
        <DataTable label="Audit events" columns={['Time', 'Action', 'Outcome', 'Actor', 'Target', 'Address', 'Details']}>
          {events.data.events.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.createdAt).toLocaleString()}</td>
              <th scope="row">{event.action}</th>
              <td>{event.outcome}</td>
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
      {events.data?.events.length === 0 && <p>No events match.</p>}
    </>
  );
}
