import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { textAnalyzerVersion } from '../../../server/language/searchTokens.ts';
import { startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };
const question = '保持时间违例应该怎么修复？';

describe("ReindexCollectionTextTask: a collection's text indexed again", () => {
  let runtime: TestRuntime;
  let collectionId: string;
  const admin = () => ({ authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' });
  const firstSection = async () =>
    (await runtime.services.retriever.retrieve(everyone, question, { collectionIds: [collectionId] }))[0]?.headingPath.at(-1);
  const textOnlyHits = () => runtime.services.chunks.fullText(everyone, question, { collectionIds: [collectionId] });
  /** The term statistics as the triggers keep them, and as counted afresh from the chunks: they must agree. */
  const statistics = async () => {
    const { rows } = await runtime.services.db.query<{ kept: string; counted: string }>(
      `SELECT (SELECT string_agg(lexeme || ':' || chunks, ' ' ORDER BY lexeme) FROM term_statistics WHERE collection_id = $1 AND chunks > 0) AS kept,
              (SELECT string_agg(lexeme || ':' || n, ' ' ORDER BY lexeme) FROM (SELECT lexeme, count(*) AS n FROM chunks, unnest(tsvector_to_array(tsv)) lexeme
                                                                              WHERE collection_id = $1 GROUP BY lexeme) t) AS counted`,
      [collectionId],
    );
    return rows[0]!;
  };
  const settled = () =>
    waitFor(async () => {
      const { rows } = await runtime.services.db.query<{ stale: number }>(
        `SELECT count(*)::int AS stale FROM chunks c JOIN collections col ON col.id = c.collection_id
          WHERE c.collection_id = $1 AND (c.text_analyzer <> $2 OR c.text_search_config <> col.text_search_config
                                          OR col.text_index_config IS DISTINCT FROM col.text_search_config)`,
        [collectionId, textAnalyzerVersion],
      );
      return rows[0]!.stale === 0 ? true : undefined;
    }, 'the reindexing');

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    const created = await fetch(`${runtime.url}/api/collections`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ slug: 'guide', name: 'Guide', language: 'en' }),
    });
    collectionId = (await created.json()).collection.id;
    await runtime.services.collections.grantToGroup(systemActor, collectionId, 'everyone');
    await uploadAndWait(
      runtime,
      'guide',
      'guide-zh.md',
      await readFile(new URL('../../fixtures/languages/zh.md', import.meta.url), 'utf8'),
    );
  });
  after(() => runtime?.dispose());

  it("rewrites every chunk with the new language's configuration when an admin changes it, keeping the statistics true", async () => {
    const { rows: before } = await runtime.services.db.query<{ config: string }>(
      'SELECT DISTINCT text_search_config::text AS config FROM chunks WHERE collection_id = $1',
      [collectionId],
    );
    assert.deepEqual(before, [{ config: 'english' }]);
    const changed = await fetch(`${runtime.url}/api/collections/guide`, {
      method: 'PATCH',
      headers: admin(),
      body: JSON.stringify({ language: 'zh' }),
    });
    assert.equal(changed.status, 200);
    assert.deepEqual([(await changed.json()).collection.textSearchConfig], ['simple']);
    await settled();
    const { rows: after } = await runtime.services.db.query<{ config: string }>(
      'SELECT DISTINCT text_search_config::text AS config FROM chunks WHERE collection_id = $1',
      [collectionId],
    );
    assert.deepEqual(after, [{ config: 'simple' }]);
    const { kept, counted } = await statistics();
    assert.equal(kept, counted);
    assert.equal(await firstSection(), '时序收敛');
  });

  it('re-segments chunks indexed by an older version at start-up (an upgrade), as Postgres alone would have indexed them', async () => {
    // What the previous release stored: Postgres' parse of the raw text, a whole clause to a word.
    await runtime.services.db.query(
      `UPDATE chunks SET tsv = chunk_search_vector(text_search_config, array_to_string(heading_path, ' '), text, identifiers), text_analyzer = 0 WHERE collection_id = $1`,
      [collectionId],
    );
    await runtime.services.db.query('UPDATE collections SET text_index_analyzer = 0 WHERE id = $1', [collectionId]);
    assert.equal((await textOnlyHits()).length, 0, 'whole clauses match no bigram of the question');
    const dataDir = runtime.dataDir;
    await runtime.stop();
    runtime = await startTestRuntime({ SEED_DEMO: 'false', DATA_DIR: dataDir });
    await settled();
    assert.ok((await textOnlyHits()).length > 0, 'full-text search finds the passage again');
    assert.equal(await firstSection(), '时序收敛');
    const { kept, counted } = await statistics();
    assert.equal(kept, counted);
  });

  it('detects the language again from the documents when set back to auto', async () => {
    const changed = await fetch(`${runtime.url}/api/collections/guide`, {
      method: 'PATCH',
      headers: admin(),
      body: JSON.stringify({ language: 'auto' }),
    });
    const { collection } = await changed.json();
    assert.deepEqual([collection.language, collection.detectedLanguage, collection.textSearchConfig], [null, 'zh', 'simple']);
  });
});
