import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { CollectionsAnswer, SourceRun, SyncedSource, SyncedSourceDetail } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { SourceForm } from './SourceForm.tsx';
import { useSourceProgress } from './useSourceProgress.ts';

/** Kinds whose documents carry their source's permissions (and get permission-only syncs). */
const permissionKinds = new Set(['confluence', 'jira', 'sharepoint']);

/**
 * Sources that keep a collection in sync by themselves (Git repositories, web sites): add one, sync it now,
 * pause it, see its runs with their counts and errors, and a running sync's progress live.
 */
export function SourcesPage() {
  const { t } = useTranslation();
  const sources = useResource<{ sources: SyncedSource[] }>('/sources');
  const collections = useResource<CollectionsAnswer>('/collections');
  const action = useAction();
  const [opened, setOpened] = useState<string>();
  const reload = useCallback(() => void sources.reload(), [sources.reload]);
  const live = useSourceProgress(sources.data?.sources.map((s) => s.collection) ?? [], reload);
  const change = async (call: () => Promise<unknown>) => (await action.run(call)) && void sources.reload();
  return (
    <>
      <h1>{t('Sources')}</h1>
      <p className="hint">
        {t(
          'A source keeps a collection in step with a Git repository, a web site, Confluence, Jira or SharePoint: each sync stores what changed since the last one and deletes what is gone. Documents from Confluence, Jira and SharePoint are read only by those their source lets read them.',
        )}
      </p>
      <Problem text={sources.problem ?? collections.problem ?? action.problem} />
      {!sources.data && !sources.problem && <Loading what={t('sources')} />}
      {sources.data?.sources.length === 0 && <p className="empty">{t('No sources yet: add one below.')}</p>}
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
                  {permissionKinds.has(source.kind) && (
                    <button
                      type="button"
                      disabled={source.paused}
                      onClick={() =>
                        void change(() => api(`/sources/${source.id}/sync`, { method: 'POST', body: { mode: 'permissions' } }))
                      }
                    >
                      {t('Sync permissions')}
                    </button>
                  )}
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
      <SourceForm collections={collections.data?.collections ?? []} onAdded={reload} />
    </>
  );
}

function RunSummary({ run }: { run: SourceRun | null }) {
  const { t } = useTranslation();
  if (!run) return <span className="hint">{t('Never synced')}</span>;
  const { added, changed, deleted, skipped, failed, readersChanged } = run.counts;
  return (
    <span role="status" data-run-status={run.status}>
      <strong>{t(run.status)}</strong> {run.mode === 'permissions' ? t('(permissions only)') : ''}{' '}
      {run.status === 'running' || run.status === 'queued' ? run.stage : ''}
      <div className="hint">
        {run.mode === 'permissions'
          ? t('{{count}} documents changed readers', { count: readersChanged })
          : t('+{{added}} ~{{changed}} −{{deleted}}, {{skipped}} skipped, {{failed}} failed', { added, changed, deleted, skipped, failed })}
        {run.mode !== 'permissions' && readersChanged > 0 ? `, ${t('{{count}} documents changed readers', { count: readersChanged })}` : ''}
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
