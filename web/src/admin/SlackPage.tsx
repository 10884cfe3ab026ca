import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Assistant, Group, SlackChannelBinding } from '../api/types.ts';
import { useAction, useResource } from '../api/useResource.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Loading, Problem } from '../components/Feedback.tsx';

/**
 * Which assistant answers in which Slack channel (else one named in the message, else
 * SLACK_DEFAULT_ASSISTANT), and who reads the channel: its answers use only what that group may read.
 */
export function SlackPage() {
  const bindings = useResource<{ bindings: SlackChannelBinding[]; slackConfigured: boolean }>('/slack/bindings');
  const assistants = useResource<{ assistants: Assistant[] }>('/assistants');
  const groups = useResource<{ groups: Group[] }>('/groups');
  const { t } = useTranslation();
  const action = useAction();
  const [form, setForm] = useState({ channelId: '', channelName: '', assistant: '', audience: 'everyone' });
  const change = async (call: () => Promise<unknown>) => (await action.run(call)) && void bindings.reload();
  const bind = async (event: FormEvent) => {
    event.preventDefault();
    const assistant = form.assistant || assistants.data?.assistants[0]?.slug || '';
    await change(() =>
      api(`/slack/bindings/${encodeURIComponent(form.channelId.trim())}`, {
        method: 'PUT',
        body: { channelName: form.channelName, assistant, audience: form.audience },
      }),
    );
    setForm({ channelId: '', channelName: '', assistant: form.assistant, audience: form.audience });
  };
  return (
    <>
      <h1>{t('Slack')}</h1>
      {bindings.data && !bindings.data.slackConfigured && (
        <p className="hint">
          {t('Slack is not connected: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN); see docs/slack.md.')}
        </p>
      )}
      <p className="hint">
        {t(
          "Answers in a channel use only what every reader may read: collections granted to the channel's audience (everyone, unless a binding names a group). People who may read more get their fuller answer in a direct message.",
        )}
      </p>
      <Problem text={bindings.problem ?? assistants.problem ?? groups.problem ?? action.problem} />
      {!bindings.data && !bindings.problem && <Loading what={t('channel bindings')} />}
      {bindings.data?.bindings.length === 0 && (
        <p className="empty">{t('No channel is bound: answers come from an assistant named in the message, or the default.')}</p>
      )}
      {bindings.data && bindings.data.bindings.length > 0 && (
        <DataTable label={t('Channel bindings')} columns={[t('Channel'), t('Assistant'), t('Audience'), t('Actions')]}>
          {bindings.data.bindings.map((b) => (
            <tr key={b.channelId}>
              <th scope="row">
                {b.channelName ? `#${b.channelName} ` : ''}
                <code>{b.channelId}</code>
              </th>
              <td>{b.assistant}</td>
              <td>{b.audience}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={t('Unbind {{channel}}', { channel: b.channelId })}
                  onClick={() => void change(() => api(`/slack/bindings/${b.channelId}`, { method: 'DELETE' }))}
                >
                  {t('Unbind')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={bind} className="card form-grid" aria-labelledby="bind-channel">
        <h2 id="bind-channel">{t('Bind a channel')}</h2>
        <label>
          {t('Channel ID')}
          <input
            required
            pattern="[A-Z0-9]{2,30}"
            placeholder="C0123ABCD"
            value={form.channelId}
            onChange={(e) => setForm({ ...form, channelId: e.target.value })}
          />
        </label>
        <label>
          {t('Channel name (for this list)')}
          <input value={form.channelName} onChange={(e) => setForm({ ...form, channelName: e.target.value })} />
        </label>
        <label>
          {t('Assistant')}
          <select value={form.assistant} onChange={(e) => setForm({ ...form, assistant: e.target.value })}>
            {assistants.data?.assistants.map((a) => (
              <option key={a.slug} value={a.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Audience')}
          <select value={form.audience} onChange={(e) => setForm({ ...form, audience: e.target.value })}>
            {(groups.data?.groups ?? [{ name: 'everyone' }]).map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          {t('Bind')}
        </button>
      </form>
    </>
  );
}
