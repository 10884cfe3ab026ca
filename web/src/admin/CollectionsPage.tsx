import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import type { CollectionListing, CollectionsAnswer, Group } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';
import { describeLanguage, LanguageSelect } from './LanguageSelect.tsx';

function CreateCollectionForm({ languages, onCreated }: { languages: string[]; onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', slug: '', description: '', chunkSize: 512, chunkOverlap: 77, language: 'auto' });
  const { t } = useTranslation();
  const action = useAction();
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: typeof current[field] === 'number' ? Number(event.target.value) : event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api('/collections', { method: 'POST', body: form }))) {
      setForm((current) => ({ ...current, name: '', slug: '', description: '' }));
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} className="card form-grid" aria-labelledby="new-collection">
      <h2 id="new-collection">{t('New collection')}</h2>
      <label>
        {t('Name')}
        <input required value={form.name} onChange={set('name')} />
      </label>
      <label>
        {t('Slug')}
        <input
          required
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          title={t('lower-case letters, digits and dashes')}
          value={form.slug}
          onChange={set('slug')}
        />
      </label>
      <label className="wide">
        {t('Description')}
        <input value={form.description} onChange={set('description')} />
      </label>
      <label>
        {t('Chunk size (tokens)')}
        <input type="number" min={64} max={8192} value={form.chunkSize} onChange={set('chunkSize')} />
      </label>
      <label>
        {t('Chunk overlap (tokens)')}
        <input type="number" min={0} value={form.chunkOverlap} onChange={set('chunkOverlap')} />
      </label>
      <LanguageSelect
        label={t('Language')}
        codes={languages}
        value={form.language}
        onChange={(language) => setForm((current) => ({ ...current, language }))}
      />
      <Problem text={action.problem} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t('Create collection')}
      </button>
    </form>
  );
}

function CollectionSettings({
  collection,
  groups,
  embeddingModel,
  languages,
  onChanged,
}: {
  collection: CollectionListing;
  groups: Group[];
  embeddingModel: string;
  languages: string[];
  onChanged: () => void;
}) {
  const [chunking, setChunking] = useState({ chunkSize: collection.chunkSize, chunkOverlap: collection.chunkOverlap });
  const [language, setLanguage] = useState(collection.language ?? 'auto');
  const { t } = useTranslation();
  const [grant, setGrant] = useState({ group: groups.find((g) => g.name !== 'everyone')?.name ?? 'everyone', permission: 'read' });
  const action = useAction();
  const change = (path: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown) =>
    action.run(() => api(path, { method, body })).then((ok) => ok && onChanged());
  const base = `/collections/${collection.slug}`;
  return (
    <div className="collection-settings">
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void change(base, 'PATCH', chunking))}>
        <label>
          {t('Chunk size')}
          <input
            type="number"
            min={64}
            max={8192}
            value={chunking.chunkSize}
            onChange={(e) => setChunking({ ...chunking, chunkSize: Number(e.target.value) })}
          />
        </label>
        <label>
          {t('Overlap')}
          <input
            type="number"
            min={0}
            value={chunking.chunkOverlap}
            onChange={(e) => setChunking({ ...chunking, chunkOverlap: Number(e.target.value) })}
          />
        </label>
        <button type="submit">{t('Save chunking')}</button>
      </form>
      <p className="hint">{t('New chunking applies to files uploaded or re-ingested from now on.')}</p>
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void change(base, 'PATCH', { language }))}>
        <LanguageSelect label={t('Language')} codes={languages} value={language} onChange={setLanguage} />
        <button type="submit">{t('Save language')}</button>
      </form>
      <p className="hint">
        {t(
          "The language chooses the stemmer of word search ({{config}} now). Any script is searchable whatever it is; a change re-indexes the collection's text in the background.",
          { config: collection.textSearchConfig },
        )}
      </p>
      <p>
        {t('Embedding model:')} <code>{collection.embeddingModel}</code> (
        {t('{{count}} dimensions', { count: collection.embeddingDimension })})
        {collection.reembedding && (
          <>
            {' '}
            · {t('re-embedding with')} <code>{collection.reembedding.model}</code>
            {collection.reembedding.error ? ` ${t('failed: {{reason}}', { reason: collection.reembedding.error.message })}` : '…'}
          </>
        )}
        {collection.embeddingModel !== embeddingModel && !collection.reembedding && (
          <button type="button" onClick={() => void change(`${base}/reembed`, 'POST')}>
            {t('Re-embed with {{model}}', { model: embeddingModel })}
          </button>
        )}
      </p>
      <h3>{t('Access')}</h3>
      <ul className="grants">
        {collection.grants.length === 0 && <li className="hint">{t('Admins only: no group is granted this collection.')}</li>}
        {collection.grants.map((g) => (
          <li key={g.group}>
            {g.group}: {t(g.permission)}{' '}
            <button
              type="button"
              aria-label={t('Remove access of {{group}}', { group: g.group })}
              onClick={() => void change(`${base}/grants/${encodeURIComponent(g.group)}`, 'DELETE')}
            >
              {t('Remove')}
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void change(`${base}/grants`, 'POST', grant))}>
        <label>
          {t('Group')}
          <select value={grant.group} onChange={(e) => setGrant({ ...grant, group: e.target.value })}>
            {groups.map((g) => (
              <option key={g.id}>{g.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t('Permission')}
          <select value={grant.permission} onChange={(e) => setGrant({ ...grant, permission: e.target.value })}>
            <option value="read">{t('read')}</option>
            <option value="edit">{t('edit (upload and delete documents)')}</option>
          </select>
        </label>
        <button type="submit">{t('Grant')}</button>
      </form>
      <Problem text={action.problem} />
    </div>
  );
}

export function CollectionsPage() {
  const collections = useResource<CollectionsAnswer>('/collections');
  const groups = useResource<{ groups: Group[] }>('/groups');
  const [open, setOpen] = useState<string>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1>{t('Collections')}</h1>
      <Problem text={collections.problem ?? groups.problem} />
      {!collections.data && !collections.problem && <Loading what={t('collections')} />}
      {collections.data?.collections.length === 0 && <p className="empty">{t('No collections yet: create the first one below.')}</p>}
      <ul className="collection-list">
        {collections.data?.collections.map((c) => (
          <li key={c.id} className="card">
            <div className="row">
              <h2 dir="auto">{c.name}</h2>
              <code>{c.slug}</code>
              <span>
                {t('{{ready}} of {{total}} documents ready', { ready: c.documents.ready, total: c.documents.total })}
                {c.documents.failed ? `, ${t('{{count}} failed', { count: c.documents.failed })}` : ''} ·{' '}
                {t('{{count}} chunks', { count: c.chunks })} · {describeLanguage(c, t, i18n.resolvedLanguage ?? 'en')}
              </span>
              <Link to={`/admin/documents?collection=${c.slug}`}>{t('Documents of {{name}}', { name: c.name })}</Link>
              <button type="button" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? undefined : c.id)}>
                {t('Settings')}
              </button>
            </div>
            {c.description && <p dir="auto">{c.description}</p>}
            {open === c.id && groups.data && (
              <CollectionSettings
                collection={c}
                groups={groups.data.groups}
                embeddingModel={collections.data!.embeddingModel}
                languages={collections.data!.languages}
                onChanged={() => void collections.reload()}
              />
            )}
          </li>
        ))}
      </ul>
      {collections.data && <CreateCollectionForm languages={collections.data.languages} onCreated={() => void collections.reload()} />}
    </>
  );
}
