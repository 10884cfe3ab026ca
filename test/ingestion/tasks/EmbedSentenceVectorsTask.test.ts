import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { embedSentenceVectorsTask } from '../../../ingestion/tasks/EmbedSentenceVectorsTask.ts';
import type { Principal } from '../../../server/auth/Principal.ts';
import { buildCollection } from '../../support/factories.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('EmbedSentenceVectorsTask (the bundled CPU sentence encoder, embedded mode)', () => {
  let runtime: TaskHarness;
  const ids = new Map<string, string>();
  const collections = new Map<string, string>();

  /** Ingests a document (its task queues the sentence vectors, which wait) and runs the sentence-vector task's handler on it. */
  const upload = async (collection: string, name: string, text: string) => {
    const { result } = await runtime.ingest(collections.get(collection)!, name, text);
    ids.set(result.documentId, name);
    await embedSentenceVectorsTask(runtime.services).handle({ documentId: result.documentId }, runtime.context());
    return result.documentId;
  };
  const vectorsMissing = async () => {
    const { rows } = await runtime.services.db.query<{ missing: number; stale: number }>(
      `SELECT (SELECT count(*)::int FROM chunks c JOIN documents d ON d.id = c.document_id AND d.version = c.document_version
                WHERE NOT EXISTS (SELECT 1 FROM chunk_sentence_vectors v WHERE v.chunk_id = c.id)) AS missing,
              (SELECT count(*)::int FROM chunk_sentence_vectors) - (SELECT count(*)::int FROM chunks) AS stale`,
    );
    return rows[0]!;
  };

  before(async () => {
    runtime = await startTaskHarness({ SENTENCE_ENCODER: 'auto' });
    assert.ok(runtime.services.inference.sentenceEncoder, 'on by default without an embedding service');
    collections.set('handbook', (await buildCollection(runtime.services, { slug: 'handbook', grants: { everyone: 'read' } })).id);
    collections.set('private', (await buildCollection(runtime.services, { slug: 'private' })).id);
    await upload('handbook', 'clinic.md', '# Clinic\n\nA doctor examines patients at the hospital every morning.\n');
    await upload('handbook', 'ddr.md', '# DDR timing\n\nClose timing on the DDR PHY by adding multicycle constraints.\n');
    await upload('handbook', 'vacation.md', '# Leave\n\nEmployees accrue vacation days monthly.\n');
    await upload('private', 'surgeon.md', '# Surgery\n\nThe physician on call performs the operation.\n');
  });
  after(() => runtime?.dispose());

  it('adds a vector to every served chunk after ingestion', async () => {
    assert.deepEqual(await vectorsMissing(), { missing: 0, stale: 0 });
  });

  it("finds a passage by meaning where no word is shared, within the asker's grants", async () => {
    const query = 'Where does a physician work?';
    assert.deepEqual(await runtime.services.chunks.fullText(everyone, query), [], 'no word in common with any document');
    const vector = await runtime.services.inference.sentenceEncoder!.embedQuery(query);
    const hits = await runtime.services.chunks.nearestBySentence(everyone, vector, runtime.services.inference.sentenceEncoder!.model);
    assert.deepEqual(
      hits.map((hit) => ids.get(hit.documentId)),
      ['clinic.md', 'vacation.md', 'ddr.md'],
      'the private surgeon.md is never returned',
    );
    assert.ok(hits[0]!.score - hits[1]!.score > 0.1, `a clear margin: ${hits.map((hit) => hit.score.toFixed(2))}`);
  });

  it("embeds a new version and drops the old version's vectors with its chunks", async () => {
    await upload('handbook', 'clinic.md', '# Clinic\n\nA nurse checks on patients at the ward each evening.\n');
    assert.deepEqual(await vectorsMissing(), { missing: 0, stale: 0 });
  });
});
