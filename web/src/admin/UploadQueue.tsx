import { useState, type DragEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.ts';
import type { IngestionJobView } from '../api/types.ts';
import { uploadFile } from './uploadFile.ts';

interface Upload {
  key: string;
  name: string;
  sent: number;
  jobId?: string;
  outcome?: string;
  failure?: string;
}

const parallelUploads = 3;

type Outcome = 'failed' | 'ready' | undefined;

/**
 * What a file is doing, in words (uploading, each ingestion stage, `ready` or `failed: <reason>`),
 * and how it ended. The stage and the reason are the server's words.
 */
function describe(upload: Upload, job: IngestionJobView | undefined, t: TFunction): [string, Outcome] {
  if (upload.failure) return [t('failed: {{reason}}', { reason: upload.failure }), 'failed'];
  if (upload.outcome) return [upload.outcome, undefined];
  if (!upload.jobId) return [t('uploading {{percent}}%', { percent: Math.round(upload.sent * 100) }), undefined];
  if (!job) return [t('queued'), undefined];
  if (job.state === 'completed') return [t('ready'), 'ready'];
  if (job.state === 'failed') return [t('failed: {{reason}}', { reason: job.error?.message ?? job.stage }), 'failed'];
  const eta = job.etaSeconds ? t(', about {{seconds}} s left', { seconds: job.etaSeconds }) : '';
  return [`${job.stage} ${job.progress}%${eta}`, undefined];
}

/** Drag-and-drop (or chosen) files, uploaded a few at a time, each with its own live status. */
export function UploadQueue({
  collection,
  jobs,
  onJob,
}: {
  collection: string;
  jobs: Record<string, IngestionJobView>;
  onJob: (job: IngestionJobView) => void;
}) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const { t } = useTranslation();
  const update = (key: string, change: Partial<Upload>) =>
    setUploads((current) => current.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const start = async (files: File[]) => {
    const batch = files.map((file, i) => ({ file, upload: { key: `${Date.now()}-${i}-${file.name}`, name: file.name, sent: 0 } }));
    setUploads((current) => [...batch.map((b) => b.upload), ...current]);
    const queue = [...batch];
    const next = async (): Promise<void> => {
      const item = queue.shift();
      if (!item) return;
      try {
        const answer = await uploadFile(collection, item.file, (sent) => update(item.upload.key, { sent }));
        const job = answer.jobs[0];
        if (job) {
          update(item.upload.key, { jobId: job.id, sent: 1 });
          // Events sent before this page heard of the job are in the job's current state.
          onJob(await api<IngestionJobView>(`/jobs/${job.id}`));
        } else if (answer.unchanged[0]) update(item.upload.key, { outcome: 'ready (unchanged: the same file is already there)', sent: 1 });
        else update(item.upload.key, { failure: answer.rejected[0]?.error.message ?? 'refused' });
      } catch (error) {
        update(item.upload.key, { failure: errorText(error) });
      }
      return next();
    };
    await Promise.all(Array.from({ length: Math.min(parallelUploads, batch.length) }, next));
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length) void start([...event.dataTransfer.files]);
  };

  return (
    <section aria-labelledby="upload-heading" className="card">
      <h2 id="upload-heading">{t('Upload')}</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => (event.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('Drop files here: PDF, Word, PowerPoint, HTML, Markdown, text or CSV.')}</p>
        <label className="button">
          {t('Choose files')}
          <input
            type="file"
            multiple
            className="visually-hidden"
            onChange={(event) => {
              if (event.target.files?.length) void start([...event.target.files]);
              event.target.value = '';
            }}
          />
        </label>
      </div>
      {uploads.length > 0 && (
        <ul className="upload-list" aria-label={t('Uploads')}>
          {uploads.map((upload) => {
            const [status, outcome] = describe(upload, upload.jobId ? jobs[upload.jobId] : undefined, t);
            return (
              <li key={upload.key} className={outcome}>
                <span className="filename" dir="auto">
                  {upload.name}
                </span>
                <span className="status" role="status">
                  {status}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
