import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { CollectionsAnswer } from '../api/types.ts';
import { useAction } from '../api/useResource.ts';
import { Problem } from '../components/Feedback.tsx';

type Kind = 'git' | 'web' | 'confluence' | 'jira' | 'sharepoint';

const emptyForm = {
  kind: 'git' as Kind,
  collection: '',
  name: '',
  url: '',
  branch: '',
  include: '',
  exclude: '',
  hosts: '',
  maxDepth: '3',
  maxPages: '1000',
  keys: '',
  deployment: 'cloud',
  username: '',
  tenantId: '',
  clientId: '',
  schedule: '0 * * * *',
  token: '',
};
type Form = typeof emptyForm;

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** What a kind of source is asked for beyond its URL (the server checks each kind's settings). */
function settingsOf(form: Form): Record<string, unknown> {
  switch (form.kind) {
    case 'git':
      return form.branch ? { branch: form.branch } : {};
    case 'web':
      return {
        ...(list(form.hosts).length ? { hosts: list(form.hosts) } : {}),
        maxDepth: Number(form.maxDepth),
        maxPages: Number(form.maxPages),
      };
    case 'confluence':
      return { spaces: list(form.keys), deployment: form.deployment };
    case 'jira':
      return { projects: list(form.keys).map((key) => key.toUpperCase()), deployment: form.deployment };
    case 'sharepoint':
      return {};
  }
}

/** The secrets a kind authenticates with: a token (with the account's email for Atlassian Cloud), or an app's client credentials. */
function credentialsOf(form: Form) {
  if (!form.token) return undefined;
  if (form.kind === 'sharepoint')
    return { token: '', oauth: { tenantId: form.tenantId, clientId: form.clientId, clientSecret: form.token } };
  if ((form.kind === 'confluence' || form.kind === 'jira') && form.username) return { username: form.username, token: form.token };
  return { token: form.token };
}

const heading: Record<Kind, string> = {
  git: 'Add a Git repository',
  web: 'Add a web site',
  confluence: 'Add Confluence spaces',
  jira: 'Add Jira projects',
  sharepoint: 'Add a SharePoint site',
};
const urlLabel: Record<Kind, [string, string]> = {
  git: ['Repository URL', 'https://gitlab.example.com/soc/rtl.git'],
  web: ['Start URL (pages below its directory are crawled)', 'https://wiki.example.com/design/'],
  confluence: ['Site URL', 'https://acme.atlassian.net'],
  jira: ['Site URL', 'https://acme.atlassian.net'],
  sharepoint: ['Site URL', 'https://contoso.sharepoint.com/sites/Hardware'],
};

/** The form that adds a source of any kind, its fields following the kind chosen. */
export function SourceForm({ collections, onAdded }: { collections: CollectionsAnswer['collections']; onAdded: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [form, setForm] = useState(emptyForm);
  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const credentials = credentialsOf(form);
    const added = await action.run(() =>
      api('/sources', {
        method: 'POST',
        body: {
          kind: form.kind,
          collection: form.collection || collections[0]?.slug,
          name: form.name,
          url: form.url,
          settings: settingsOf(form),
          ...(form.kind === 'git' || form.kind === 'web'
            ? {
                ...(list(form.include).length ? { include: list(form.include) } : {}),
                ...(list(form.exclude).length ? { exclude: list(form.exclude) } : {}),
              }
            : {}),
          schedule: form.schedule.trim() === '' ? null : form.schedule.trim(),
          ...(credentials ? { credentials } : {}),
        },
      }),
    );
    if (added) {
      setForm({ ...emptyForm, kind: form.kind, collection: form.collection });
      onAdded();
    }
  };
  const atlassian = form.kind === 'confluence' || form.kind === 'jira';
  return (
    <form onSubmit={add} className="card form-grid" aria-labelledby="add-source">
      <h2 id="add-source">{t(heading[form.kind])}</h2>
      <Problem text={action.problem} />
      <label>
        {t('Kind')}
        <select value={form.kind} onChange={set('kind')}>
          <option value="git">{t('Git repository')}</option>
          <option value="web">{t('Web site')}</option>
          <option value="confluence">Confluence</option>
          <option value="jira">Jira</option>
          <option value="sharepoint">{t('SharePoint or OneDrive')}</option>
        </select>
      </label>
      <label>
        {t('Collection')}
        <select value={form.collection} onChange={set('collection')}>
          {collections.map((c) => (
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
      <label>
        {t(urlLabel[form.kind][0])}
        <input required placeholder={urlLabel[form.kind][1]} value={form.url} onChange={set('url')} />
      </label>
      {form.kind === 'git' && (
        <label>
          {t('Branch (empty: the default branch)')}
          <input value={form.branch} onChange={set('branch')} />
        </label>
      )}
      {form.kind === 'web' && (
        <>
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
      {atlassian && (
        <>
          <label>
            {form.kind === 'confluence' ? t('Space keys (one per line)') : t('Project keys (one per line)')}
            <textarea rows={2} required value={form.keys} onChange={set('keys')} />
          </label>
          <label>
            {t('Deployment')}
            <select value={form.deployment} onChange={set('deployment')}>
              <option value="cloud">Cloud</option>
              <option value="datacenter">Data Center</option>
            </select>
          </label>
          <label>
            {t('Account email (Cloud API token; empty for a Data Center personal access token)')}
            <input type="email" autoComplete="off" value={form.username} onChange={set('username')} />
          </label>
        </>
      )}
      {form.kind === 'sharepoint' && (
        <>
          <label>
            {t('Directory (tenant) ID')}
            <input required value={form.tenantId} onChange={set('tenantId')} />
          </label>
          <label>
            {t('Application (client) ID')}
            <input required value={form.clientId} onChange={set('clientId')} />
          </label>
        </>
      )}
      {(form.kind === 'git' || form.kind === 'web') && (
        <>
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
        </>
      )}
      <label>
        {t('Schedule (cron, UTC; empty: only when asked)')}
        <input value={form.schedule} onChange={set('schedule')} />
      </label>
      <label>
        {form.kind === 'sharepoint'
          ? t('Client secret (stored encrypted, never shown again)')
          : t('Access token (stored encrypted, never shown again)')}
        <input type="password" autoComplete="off" required={form.kind === 'sharepoint'} value={form.token} onChange={set('token')} />
      </label>
      <button type="submit" className="primary" disabled={action.busy}>
        {t('Add and sync')}
      </button>
    </form>
  );
}
