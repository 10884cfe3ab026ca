import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { CollectionsAnswer, SourceRun, SyncedSource, SyncedSourceDetail } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { useSourceProgress } from './useSourceProgress.ts';

const emptyForm = {
  kind: 'git' as 'git' | 'web',
  collection: '',
  name: '',
  url: '',
  branch: '',
  include: '',
  exclude: '',
  hosts: '',
  maxDepth: '3',
  maxPages: '1000',
  schedule: '0 * * * *',
  token: '',
};
const globs = (text: string) =>
  text
    .split(/[\n,]/)
    .map((glob) => glob.trim())
    .filter(Boolean);

/** What a kind of source is asked for beyond its URL (the server checks each kind's settings). */
function settingsOf(form: typeof emptyForm) {
  if (form.kind === 'git') return form.branch ? { branch: form.branch } : {};
  return {
    ...(globs(form.hosts).length ? { hosts: globs(form.hosts) } : {}),
    maxDepth: Number(form.maxDepth),
    maxPages: Number(form.maxPages),
  };
}

/**
 * Sources that keep a collection in sync by themselves (Git repositories, web sites): add one, sync it now,
 * pause it, see its runs with their counts and errors, and a running sync's progress live.
 */
export function SourcesPage() {
  const { t } = useTranslation();
  const sources = useResource<{ sources: SyncedSource[] }>('/sources');
  const collections = useResource<CollectionsAnswer>('/collections');
  const action = useAction();
  const [form, setForm] = useState(emptyForm);
  const [opened, setOpened] = useState<string>();
  const reload = useCallback(() => void sources.reload(), [sources.reload]);
  const live = useSourceProgress(sources.data?.sources.map((s) => s.collection) ?? [], reload);
  const change = async (call: () => Promise<unknown>) => (await action.run(call)) && void sources.reload();
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(() =>
      api('/sources', {
        method: 'POST',
        body: {
          kind: form.kind,
          collection: form.collection || collections.data?.collections[0]?.slug,
          name: form.name,
          url: form.url,
          settings: settingsOf(form),
          ...(globs(form.include).length ? { include: globs(form.include) } : {}),
          ...(globs(form.exclude).length ? { exclude: globs(form.exclude) } : {}),
          schedule: form.schedule.trim() === '' ? null : form.schedule.trim(),
          ...(form.token ? { credentials: { token: form.token } } : {}),
        },
      }),
    );
    if (added) {
      setForm({ ...emptyForm, kind: form.kind, collection: form.collection });
      void sources.reload();
    }
  };
  const set = (field: keyof typeof emptyForm) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  return (
    <>
      <h1>{t('Sources')}</h1>
      <p className="hint">
        {t(
          'A source keeps a collection in step with a Git repository or a web site: each sync stores what changed since the last one and deletes what is gone.',
        )}
      </p>
      <Problem text={sources.problem ?? collections.problem ?? action.problem} />
      {!sources.data && !sources.problem && <Loading what={t('sources')} />}
      {sources.data?.sources.length === 0 && <p className="empty">{t('No sources yet: add a Git repository or a web site below.')}</p>}
      {sources.data && sources.data.sources.length > 0 && (
        <DataTable label={t('Sources')} columns={[t('Source'), t('Collection'), t('Schedule'), t('Items'), t('Last run'), t('Actions')]}>
          {sources.data.sources.map((source) => {
            const run = live[source.id] ?? source.lastRun;
            return (
              <tr key={source.id}>
                <th scope="row">
                  {source.name}
                  <div className="hint">
                    <code>{source.url}</code>
                    {typeof source.settings.branch === 'string' ? ` @ ${source.settings.branch}` : ''}
                  </div>
                </th>
                <td>{source.collection}</td>
                <td>{source.paused ? t('Paused') : (source.schedule ?? t('Only when asked'))}</td>
                <td>{source.items}</td>
                <td>
                  <RunSummary run={run} />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    disabled={source.paused}
                    onClick={() => void change(() => api(`/sources/${source.id}/sync`, { method: 'POST' }))}
                  >
                    {t('Sync now')}
                  </button>
                  <button
                    type="button"
                    onClick={() => void change(() => api(`/sources/${source.id}`, { method: 'PATCH', body: { paused: !source.paused } }))}
                  >
                    {source.paused ? t('Resume') : t('Pause')}
                  </button>
                  <button type="button" onClick={() => setOpened(opened === source.id ? undefined : source.id)}>
                    {t('Runs')}
                  </button>
                  <button
                    type="button"
                    aria-label={t('Delete {{name}}', { name: source.name })}
                    onClick={() =>
                      window.confirm(t('Delete the source "{{name}}" and every document it brought?', { name: source.name })) &&
                      void change(() => api(`/sources/${source.id}`, { method: 'DELETE' }))
                    }
                  >
                    {t('Delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {opened && <SourceRuns id={opened} live={live[opened]} />}
      <form onSubmit={add} className="card form-grid" aria-labelledby="add-source">
        <h2 id="add-source">{form.kind === 'git' ? t('Add a Git repository') : t('Add a web site')}</h2>
        <label>
          {t('Kind')}
          <select value={form.kind} onChange={set('kind')}>
            <option value="git">{t('Git repository')}</option>
            <option value="web">{t('Web site')}</option>
          </select>
        </label>
        <label>
          {t('Collection')}
          <select value={form.collection} onChange={set('collection')}>
            {collections.data?.collections.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Name')}
          <input required maxLength={200} value={form.name} onChange={set('name')} />
        </label>
        {form.kind === 'git' ? (
          <>
            <label>
              {t('Repository URL')}
              <input required placeholder="https://gitlab.example.com/soc/rtl.git" value={form.url} onChange={set('url')} />
            </label>
            <label>
              {t('Branch (empty: the default branch)')}
              <input value={form.branch} onChange={set('branch')} />
            </label>
          </>
        ) : (
          <>
            <label>
              {t('Start URL (pages below its directory are crawled)')}
              <input required type="url" placeholder="https://wiki.example.com/design/" value={form.url} onChange={set('url')} />
            </label>
            <label>
              {t('Other hosts of the site (one per line)')}
              <textarea rows={2} value={form.hosts} onChange={set('hosts')} />
            </label>
            <label>
              {t('Link depth')}
              <input type="number" min={0} max={20} required value={form.maxDepth} onChange={set('maxDepth')} />
            </label>
            <label>
              {t('Pages at most')}
              <input type="number" min={1} max={100000} required value={form.maxPages} onChange={set('maxPages')} />
            </label>
          </>
        )}
        <label>
          {t('Include (globs, one per line; empty: everything)')}
          <textarea
            rows={2}
            placeholder={form.kind === 'git' ? 'rtl/**\ndocs/**/*.md' : '/design/**'}
            value={form.include}
            onChange={set('include')}
          />
        </label>
        <label>
          {t('Exclude (globs, one per line)')}
          <textarea rows={2} value={form.exclude} onChange={set('exclude')} />
        </label>
        <label>
          {t('Schedule (cron, UTC; empty: only when asked)')}
          <input value={form.schedule} onChange={set('schedule')} />
        </label>
        <label>
          {t('Access token (stored encrypted, never shown again)')}
          <input type="password" autoComplete="off" value={form.token} onChange={set('token')} />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('Add and sync')}
        </button>
      </form>
    </>
  );
}

function RunSummary({ run }: { run: SourceRun | null }) {
  const { t } = useTranslation();
  if (!run) return <span className="hint">{t('Never synced')}</span>;
  const { added, changed, deleted, skipped, failed } = run.counts;
  return (
    <span role="status" data-run-status={run.status}>
      <strong>{t(run.status)}</strong> {run.status === 'running' || run.status === 'queued' ? run.stage : ''}
      <div className="hint">
        {t('+{{added}} ~{{changed}} −{{deleted}}, {{skipped}} skipped, {{failed}} failed', { added, changed, deleted, skipped, failed })}
      </div>
      {run.error && <div className="error">{run.error.message}</div>}
    </span>
  );
}

function SourceRuns({ id, live }: { id: string; live: SourceRun | undefined }) {
  const { t } = useTranslation();
  const detail = useResource<SyncedSourceDetail>(`/sources/${id}`);
  const { reload } = detail;
  // A run that starts or ends while the list is open shows up in it.
  useEffect(() => void reload(), [live?.status, reload]);
  if (!detail.data) return <Problem text={detail.problem} />;
  return (
    <section className="card" aria-label={t('Runs of {{name}}', { name: detail.data.name })}>
      <h2>{t('Runs of {{name}}', { name: detail.data.name })}</h2>
      <DataTable label={t('Runs')} columns={[t('Started'), t('Trigger'), t('Result'), t('Item errors')]}>
        {detail.data.runs.map((run) => (
          <tr key={run.id}>
            <td>{run.startedAt ? new Date(run.startedAt).toLocaleString() : '—'}</td>
            <td>{t(run.trigger)}</td>
            <td>
              <RunSummary run={run} />
            </td>
            <td>
              {run.errors.length === 0
                ? '—'
                : run.errors.slice(0, 20).map((error) => (
                    <div key={error.item}>
                      <code>{error.item}</code>: {error.message}
                    </div>
                  ))}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
