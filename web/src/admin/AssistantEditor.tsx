import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Assistant, CollectionListing } from '../api/types.ts';
import { useAction } from '../api/useResource.ts';
import { Problem } from '../components/Feedback.tsx';

type Draft = {
  slug: string;
  name: string;
  description: string;
  systemPrompt: string;
  collections: string[];
  model: string;
  temperature: string;
  topK: string;
  candidates: string;
  scoreThreshold: string;
};

const draftOf = (a?: Assistant): Draft => ({
  slug: a?.slug ?? '',
  name: a?.name ?? '',
  description: a?.description ?? '',
  systemPrompt: a?.systemPrompt ?? 'You are a helpful assistant. Answer only from the sources; cite them as [n].',
  collections: a?.collections ?? [],
  model: a?.model ?? '',
  temperature: a?.temperature?.toString() ?? '',
  topK: a?.retrieval.topK?.toString() ?? '',
  candidates: a?.retrieval.candidates?.toString() ?? '',
  scoreThreshold: a?.retrieval.scoreThreshold?.toString() ?? '',
});

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** Creates or edits an assistant: prompt, collections, model and retrieval settings. */
export function AssistantEditor({
  assistant,
  collections,
  onSaved,
  onDeleted,
}: {
  assistant?: Assistant;
  collections: CollectionListing[];
  onSaved: (slug: string) => void;
  onDeleted: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(assistant));
  const { t } = useTranslation();
  const action = useAction();
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });
  const toggle = (slug: string) =>
    setDraft({
      ...draft,
      collections: draft.collections.includes(slug) ? draft.collections.filter((c) => c !== slug) : [...draft.collections, slug],
    });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const retrieval = Object.fromEntries(
      Object.entries({
        topK: numberOrUndefined(draft.topK),
        candidates: numberOrUndefined(draft.candidates),
        scoreThreshold: numberOrUndefined(draft.scoreThreshold),
      }).filter(([, v]) => v !== undefined),
    );
    const body = {
      name: draft.name,
      description: draft.description,
      systemPrompt: draft.systemPrompt,
      collections: draft.collections,
      model: draft.model.trim() || null,
      temperature: numberOrUndefined(draft.temperature) ?? null,
      retrieval: { ...assistant?.retrieval, ...retrieval },
    };
    const ok = await action.run(() =>
      assistant
        ? api(`/assistants/${assistant.slug}`, { method: 'PATCH', body })
        : api('/assistants', { method: 'POST', body: { slug: draft.slug, ...body } }),
    );
    if (ok) onSaved(assistant?.slug ?? draft.slug);
  };
  const remove = async () => {
    if (
      assistant &&
      window.confirm(t('Delete the assistant {{name}}? Its conversations go with it.', { name: assistant.name })) &&
      (await action.run(() => api(`/assistants/${assistant.slug}`, { method: 'DELETE' })))
    )
      onDeleted();
  };

  return (
    <form
      onSubmit={save}
      className="card form-grid"
      aria-label={assistant ? t('Edit {{name}}', { name: assistant.name }) : t('New assistant')}
    >
      {!assistant && (
        <label>
          {t('Slug')}
          <input required pattern="[a-z0-9][a-z0-9\-]{0,62}" value={draft.slug} onChange={set('slug')} />
        </label>
      )}
      <label>
        {t('Name')}
        <input required value={draft.name} onChange={set('name')} />
      </label>
      <label className="wide">
        {t('Description')}
        <input value={draft.description} onChange={set('description')} />
      </label>
      <label className="wide">
        {t('System prompt')}
        <textarea required rows={6} value={draft.systemPrompt} onChange={set('systemPrompt')} />
      </label>
      <fieldset className="wide">
        <legend>{t('Collections it answers from')}</legend>
        {collections.map((c) => (
          <label key={c.slug} className="checkbox">
            <input type="checkbox" checked={draft.collections.includes(c.slug)} onChange={() => toggle(c.slug)} /> {c.name}
          </label>
        ))}
      </fieldset>
      <label>
        {t("Model (empty: the server's LLM_MODEL)")}
        <input value={draft.model} onChange={set('model')} />
      </label>
      <label>
        {t('Temperature')}
        <input type="number" min={0} max={2} step={0.1} value={draft.temperature} onChange={set('temperature')} />
      </label>
      <label>
        {t('Passages in the prompt (top k)')}
        <input type="number" min={1} max={100} value={draft.topK} onChange={set('topK')} />
      </label>
      <label>
        {t('Candidates per search')}
        <input type="number" min={1} max={500} value={draft.candidates} onChange={set('candidates')} />
      </label>
      <label>
        {t('Minimum reranker score (0-1)')}
        <input type="number" min={0} max={1} step={0.05} value={draft.scoreThreshold} onChange={set('scoreThreshold')} />
      </label>
      <Problem text={action.problem} />
      <div className="wide buttons">
        <button type="submit" className="primary" disabled={action.busy}>
          {assistant ? t('Save assistant') : t('Create assistant')}
        </button>
        {assistant && (
          <button type="button" className="danger" onClick={() => void remove()}>
            {t('Delete assistant')}
          </button>
        )}
      </div>
    </form>
  );
}
