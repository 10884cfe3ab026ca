import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import { i18n } from '../i18n/i18n.ts';
import type { CollectionListing, DocumentListing, IngestionJobView } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';
import { UploadQueue } from './UploadQueue.tsx';
import { useIngestionProgress } from './useIngestionProgress.ts';

function statusInWords(document: DocumentListing): string {
  if (document.status === 'failed') return i18n.t('failed: {{reason}}', { reason: document.error?.message ?? i18n.t('unknown reason') });
  if (document.status === 'pending') return i18n.t('queued');
  return i18n.t(document.status);
}

export function DocumentsPage() {
  const [params, setParams] = useSearchParams();
  const { t } = useTranslation();
  const collections = useResource<{ collections: CollectionListing[] }>('/collections');
  const slug = params.get('collection') ?? collections.data?.collections[0]?.slug;
  const documents = useResource<{ documents: DocumentListing[] }>(slug ? `/collections/${slug}/documents` : undefined);
  const reloadDocuments = documents.reload;
  const onFinished = useCallback(() => void reloadDocuments(), [reloadDocuments]);
  const liveJobs = useIngestionProgress(slug, onFinished);
  const [fetchedJobs, setFetchedJobs] = useState<Record<string, IngestionJobView>>({});
  const action = useAction();

  // The room's events win over a job fetched once, unless the fetched one is newer.
  const jobs = { ...fetchedJobs };
  for (const job of Object.values(liveJobs)) if (!jobs[job.id] || jobs[job.id]!.updatedAt <= job.updatedAt) jobs[job.id] = job;

  const act = async (path: string, method: 'POST' | 'DELETE') => {
    if (await action.run(() => api(path, { method }))) void documents.reload();
  };

  return (
    <>
      <h1>{t('Documents')}</h1>
      <Problem text={collections.problem} />
      {collections.data?.collections.length === 0 && <p className="empty">{t('Create a collection first, under Collections.')}</p>}
      {slug && (
        <label className="collection-select">
          {t('Collection')}
          <select value={slug} onChange={(e) => setParams({ collection: e.target.value })}>
            {collections.data?.collections.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {slug && (
        <UploadQueue
          collection={slug}
          jobs={jobs}
          onJob={(job) => {
            setFetchedJobs((current) => ({ ...current, [job.id]: job }));
            if (job.state === 'completed' || job.state === 'failed') void documents.reload();
          }}
        />
      )}
      <Problem text={documents.problem ?? action.problem} />
      {slug && !documents.data && !documents.problem && <Loading what={t('documents')} />}
      {documents.data?.documents.length === 0 && <p className="empty">{t('No documents in this collection yet.')}</p>}
      {documents.data && documents.data.documents.length > 0 && (
        <DataTable label={t('Documents')} columns={[t('Document'), t('Status'), t('Version'), t('Chunks'), t('Updated'), t('Actions')]}>
          {documents.data.documents.map((d) => {
            const name = d.filename ?? d.title;
            return (
              <tr key={d.id}>
                <th scope="row" dir="auto">
                  {name}
                  {d.readers && <DocumentReaders readers={d.readers} restricted={d.restricted} />}
                </th>
                <td className={`status ${d.status}`}>{statusInWords(d)}</td>
                <td>{d.version}</td>
                <td>{d.chunks}</td>
                <td>{new Date(d.updatedAt).toLocaleString()}</td>
                <td className="actions">
                  {d.status === 'failed' && (
                    <button
                      type="button"
                      onClick={() => void act(`/documents/${d.id}/reingest`, 'POST')}
                      aria-label={t('Retry {{name}}', { name })}
                    >
                      {t('Retry')}
                    </button>
                  )}
                  {d.status === 'ready' && (
                    <button
                      type="button"
                      onClick={() => void act(`/documents/${d.id}/reingest`, 'POST')}
                      aria-label={t('Re-ingest {{name}}', { name })}
                    >
                      {t('Re-ingest')}
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => window.confirm(t('Delete {{name}}?', { name })) && void act(`/documents/${d.id}`, 'DELETE')}
                    aria-label={t('Delete {{name}}', { name })}
                  >
                    {t('Delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}

/** Who a document is limited to at its source: users, groups (with the Tapeout group each matched) or everyone in the source. */
function DocumentReaders({ readers, restricted }: { readers: NonNullable<DocumentListing['readers']>; restricted: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="hint" data-readers>
      {restricted ? t('Restricted to:') : t('Readers at the source:')}{' '}
      {readers.length === 0
        ? t('nobody Tapeout can match')
        : readers
            .map((reader) =>
              reader.kind === 'everyone'
                ? t('everyone in the source')
                : reader.kind === 'user'
                  ? reader.key
                  : reader.matchedGroup
                    ? t('group {{name}} (Tapeout group {{group}})', { name: reader.name || reader.key, group: reader.matchedGroup })
                    : t('group {{name}} (no Tapeout group matches)', { name: reader.name || reader.key }),
            )
            .join(', ')}
    </div>
  );
}
