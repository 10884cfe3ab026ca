import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Assistant, CollectionListing } from '../api/types.ts';
import { useAction } from '../api/useResource.ts';
import { Problem } from '../components/Feedback.tsx';

type Draft = { slug: string; name: string; description: string; systemPrompt: string; collections: string[]; model: string; temperature: string; topK: string; candidates: string; scoreThreshold: string };

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
export function AssistantEditor({ assistant, collections, onSaved, onDeleted }: { assistant?: Assistant; collections: CollectionListing[]; onSaved: (slug: string) => void; onDeleted: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(assistant));
  const action = useAction();
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });
  const toggle = (slug: string) =>
    setDraft({ ...draft, collections: draft.collections.includes(slug) ? draft.collections.filter((c) => c !== slug) : [...draft.collections, slug] });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const retrieval = Object.fromEntries(
      Object.entries({ topK: numberOrUndefined(draft.topK), candidates: numberOrUndefined(draft.candidates), scoreThreshold: numberOrUndefined(draft.scoreThreshold) }).filter(([, v]) => v !== undefined),
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
      assistant ? api(`/assistants/${assistant.slug}`, { method: 'PATCH', body }) : api('/assistants', { method: 'POST', body: { slug: draft.slug, ...body } }),
    );
    if (ok) onSaved(assistant?.slug ?? draft.slug);
  };
  const remove = async () => {
    if (assistant && window.confirm(`Delete the assistant ${assistant.name}? Its conversations go with it.`) && (await action.run(() => api(`/assistants/${assistant.slug}`, { method: 'DELETE' })))) onDeleted();
  };

  return (
    <form onSubmit={save} className="card form-grid" aria-label={assistant ? `Edit ${assistant.name}` : 'New assistant'}>
      {!assistant && (
        <label>
          Slug
          <input required pattern="[a-z0-9][a-z0-9\-]{0,62}" value={draft.slug} onChange={set('slug')} />
        </label>
      )}
      <label>
        Name
        <input required value={draft.name} onChange={set('name')} />
      </label>
      <label className="wide">
        Description
        <input value={draft.description} onChange={set('description')} />
      </label>
      <label className="wide">
        System prompt
        <textarea required rows={6} value={draft.systemPrompt} onChange={set('systemPrompt')} />
      </label>
      <fieldset className="wide">
        <legend>Collections it answers from</legend>
        {collections.map((c) => (
          <label key={c.slug} className="checkbox">
            <input type="checkbox" checked={draft.collections.includes(c.slug)} onChange={() => toggle(c.slug)} /> {c.name}
          </label>
        ))}
      </fieldset>
      <label>
        Model (empty: the server's LLM_MODEL)
        <input value={draft.model} onChange={set('model')} />
      </label>
      <label>
        Temperature
        <input type="number" min={0} max={2} step={0.1} value={draft.temperature} onChange={set('temperature')} />
      </label>
      <label>
        Passages in the prompt (top k)
        <input type="number" min={1} max={100} value={draft.topK} onChange={set('topK')} />
      </label>
      <label>
        Candidates per search
        <input type="number" min={1} max={500} value={draft.candidates} onChange={set('candidates')} />
      </label>
      <label>
        Minimum reranker score (0-1)
        <input type="number" min={0} max={1} step={0.05} value={draft.scoreThreshold} onChange={set('scoreThreshold')} />
      </label>
      <Problem text={action.problem} />
      <div className="wide buttons">
        <button type="submit" className="primary" disabled={action.busy}>
          {assistant ? 'Save assistant' : 'Create assistant'}
        </button>
        {assistant && (
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete assistant
          </button>
        )}
      </div>
    </form>
  );
}
