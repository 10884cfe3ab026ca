import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { combineFilters } from '../../../server/retrieval/retrievalFilter.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('combineFilters', () => {
  it('intersects allowed values and documents, and keeps the later date', () => {
    assert.equal(combineFilters(undefined, {}), undefined);
    assert.deepEqual(
      combineFilters(
        { metadata: { team: ['pd', 'dv'], year: 2026 } },
        { metadata: { team: 'pd' }, updatedAfter: '2026-01-01T00:00:00Z' },
        { updatedAfter: '2025-01-01T00:00:00Z' },
      ),
      {
        metadata: { team: ['pd'], year: [2026] },
        documentIds: null,
        updatedAfter: '2026-01-01T00:00:00Z',
      },
    );
    const [a, b] = ['6b0c2a5e-0d7e-4c69-9b7a-3b6f3c3f0a01', '6b0c2a5e-0d7e-4c69-9b7a-3b6f3c3f0a02'];
    assert.deepEqual(combineFilters({ documentIds: [a, b] }, { documentIds: [b] })?.documentIds, [b]);
  });
});

describe('metadata filters, from upload to answer', () => {
  let runtime: TestRuntime;
  let collectionId: string;
  const names = new Map<string, string>();
  const api = (route: string, body: unknown) =>
    fetch(`${runtime.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const upload = async (name: string, metadata: string | undefined) => {
    const form = new FormData();
    if (metadata !== undefined) form.append('metadata', metadata);
    form.append(
      'files',
      new Blob([`# ${name}\n\nThe clock gating checklist of the ${name} team: gate idle flops with clk_en and check the ICG setup.\n`]),
      name,
    );
    return fetch(`${runtime.url}/api/collections/gating/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}` },
      body: form,
    });
  };
  const ingest = async (name: string, metadata: object) => {
    const { jobs } = await (await upload(name, JSON.stringify(metadata))).json();
    await waitFor(async () => ((await runtime.services.documents.findJob(jobs[0].id)).state === 'completed' ? true : undefined), name);
    names.set(jobs[0].documentId, name);
    return jobs[0].documentId as string;
  };
  const found = async (filter: Parameters<typeof combineFilters>[0]) =>
    [
      ...new Set(
        (
          await runtime.services.retriever.retrieve(everyone, 'clock gating checklist', {
            collectionIds: [collectionId],
            filter: combineFilters(filter),
          })
        ).map((p) => names.get(p.documentId)),
      ),
    ].sort();
  let dvId: string;

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false', SENTENCE_ENCODER: 'auto' });
    collectionId = await createOpenCollection(runtime, 'gating');
    await ingest('pd.md', { team: 'pd', year: 2026 });
    dvId = await ingest('dv.md', { team: 'dv' });
    await waitFor(
      async () => ((await runtime.services.db.query('SELECT 1 FROM chunk_sentence_vectors')).rowCount === 2 ? true : undefined),
      'sentence vectors',
    );
  });
  after(() => runtime?.dispose());

  it("stores the upload's metadata on its documents and lists it", async () => {
    const { documents } = await (
      await fetch(`${runtime.url}/api/collections/gating/documents`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })
    ).json();
    assert.deepEqual(
      documents.map((d: { filename: string; metadata: object }) => [d.filename, d.metadata]),
      [
        ['dv.md', { team: 'dv' }],
        ['pd.md', { team: 'pd', year: 2026 }],
      ],
      'most recently changed first',
    );
  });

  it('refuses malformed metadata with a 400 and keeps nothing', async () => {
    for (const bad of ['{team: pd}', '["pd"]', '{"team":{"nested":true}}']) {
      const response = await upload('bad.md', bad);
      assert.equal(response.status, 400, bad);
      assert.equal((await response.json()).error.code, 'invalid_request');
    }
    assert.equal((await runtime.services.db.query(`SELECT 1 FROM documents WHERE filename = 'bad.md'`)).rowCount, 0);
    assert.deepEqual(await readdir(path.join(runtime.dataDir, 'files', 'incoming')), []);
  });

  it('narrows every search list (full text, hashed and sentence vectors) to matching documents', async () => {
    assert.deepEqual(await found(undefined), ['dv.md', 'pd.md']);
    assert.deepEqual(await found({ metadata: { team: 'pd' } }), ['pd.md']);
    assert.deepEqual(await found({ metadata: { team: ['pd', 'dv'] } }), ['dv.md', 'pd.md']);
    assert.deepEqual(await found({ metadata: { year: 2026 } }), ['pd.md'], 'a document without the key never matches');
    assert.deepEqual(await found({ metadata: { year: '2026' } }), [], 'values compare with their JSON type');
    assert.deepEqual(await found({ documentIds: [dvId] }), ['dv.md']);
    assert.deepEqual(await found({ updatedAfter: new Date(Date.now() + 60_000).toISOString() }), []);
    const filter = combineFilters({ metadata: { team: 'dv' } });
    const sentence = await runtime.services.inference.sentenceEncoder!.embedQuery('clock gating');
    const hashed = await runtime.services.embedder.embedQuery('clock gating');
    for (const hits of [
      await runtime.services.chunks.fullText(everyone, 'clock gating', { filter }),
      await runtime.services.chunks.nearest(everyone, hashed, runtime.services.embedder.model, { filter }),
      await runtime.services.chunks.nearestBySentence(everyone, sentence, runtime.services.inference.sentenceEncoder!.model, { filter }),
    ])
      assert.deepEqual(
        hits.map((hit) => names.get(hit.documentId)),
        ['dv.md'],
      );
  });

  it("applies an assistant's filter and a request's filter together over /v1", async () => {
    const created = await api('/api/assistants', {
      slug: 'pd-helper',
      name: 'PD helper',
      systemPrompt: 'Answer from the sources.',
      collections: ['gating'],
      retrieval: { filter: { metadata: { team: 'pd' } } },
    });
    assert.equal(created.status, 201);
    const ask = (extra: object) =>
      api('/v1/chat/completions', {
        model: 'pd-helper',
        messages: [{ role: 'user', content: 'What is on the clock gating checklist?' }],
        ...extra,
      });
    const plain = await (await ask({})).json();
    assert.deepEqual([...new Set(plain.citations.map((c: { filename: string }) => c.filename))], ['pd.md']);
    const crossed = await (await ask({ filter: { metadata: { team: 'dv' } } })).json();
    assert.deepEqual(crossed.citations, [], "the request cannot widen the assistant's filter");
    const invalid = await ask({ filter: { metadata: { team: { $ne: 'pd' } } } });
    assert.equal(invalid.status, 400);
    assert.equal((await invalid.json()).error.type, 'invalid_request_error');
  });
});
