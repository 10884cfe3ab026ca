import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { termsToMatch } from '../../../server/retrieval/fullTextSearch.ts';
import { createOpenCollection, startTestServices, type TestServices } from '../../support/testRuntime.ts';
import { ingestAndWait } from '../../support/factories.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('full-text search on engineering text (BM25 over the real ingestion path)', () => {
  let runtime: TestServices;
  const titles = new Map<string, string>();

  before(async () => {
    runtime = await startTestServices({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'rtl');
    const files = {
      'gating.md': '# Divider gating\n\nGate the divider output with clk_div_en before the glitch-free clock mux.\n',
      'enables.md': '# Clock enables\n\nThe clk tree has a div stage; en signals are registered. Clock enables are not clocks.\n',
      'alu.md':
        '# ALU timing\n\nThe worst path ends at u_core/u_alu/add_q and the STREAM_MCAST_DEST register is multicycle on the core clock.\n',
      'retention.md': '# Retention flops\n\nSave and restore sequences keep state through power-down.\n',
    };
    for (const job of await ingestAndWait(runtime, 'rtl', files)) titles.set(job.documentId, job.filename);
  });
  after(() => runtime?.dispose());

  const search = async (query: string) =>
    (await runtime.services.chunks.fullText(everyone, query)).map((hit) => titles.get(hit.documentId));

  it('finds an identifier exactly, ahead of passages that only share its parts', async () => {
    assert.deepEqual((await search('where is clk_div_en used'))[0], 'gating.md');
    assert.deepEqual(await search('STREAM_MCAST_DEST'), ['alu.md']);
  });

  it('matches the parts of a hierarchical name, and the words inside an identifier', async () => {
    assert.deepEqual(await search('add_q'), ['alu.md']);
    assert.deepEqual(await search('u_alu'), ['alu.md']);
    assert.ok((await search('divider clk')).includes('enables.md'), 'plain parts still match through the parser');
  });

  it('searches headings as well as text, and ranks rare words above common ones', async () => {
    assert.deepEqual(await search('retention'), ['retention.md']);
    assert.deepEqual((await search('clock retention'))[0], 'retention.md', 'one rare word outweighs one common word');
  });

  it('answers queries that are only punctuation or quotes without an SQL error', async () => {
    assert.deepEqual(await search(`'); DROP TABLE chunks; --`), []);
    assert.deepEqual(await search(`O'Brien's "clk_div_en" | & !`).then((hits) => hits[0]), 'gating.md');
  });

  it('reads term counts from ts_rank exactly as unnest() counts them, headings twice', async () => {
    const { rows } = await runtime.services.db.query<{ pairs: string; mismatches: string }>(
      `SELECT count(*) AS pairs, count(*) FILTER (WHERE weighted_term_frequency(c.tsv, quote_literal(x.lexeme)::tsquery)
                <> GREATEST(1, coalesce(array_length(x.positions, 1), 0)) + (SELECT count(*) FROM unnest(x.weights) w WHERE w = 'A')) AS mismatches
         FROM chunks c, unnest(c.tsv) x`,
    );
    assert.ok(Number(rows[0]!.pairs) > 40);
    assert.equal(rows[0]!.mismatches, '0');
  });

  it('keeps term and chunk statistics equal to a recount through re-ingests and deletes', async () => {
    const upload = async (name: string, text: string) => {
      const [job] = await ingestAndWait(runtime, 'rtl', { [name]: text });
      return job!.documentId;
    };
    await upload('scratch.md', '# Scratch\n\nA passage about retention and clk_div_en.\n');
    const id = await upload('scratch.md', '# Scratch\n\nA new version about scan chains.\n');
    const recount = async () => {
      const { rows } = await runtime.services.db.query<{ stored: unknown; counted: unknown; totals: unknown; chunks: unknown }>(
        `SELECT (SELECT json_object_agg(lexeme, chunks ORDER BY lexeme) FROM term_statistics WHERE chunks > 0) AS stored,
                (SELECT json_object_agg(lexeme, n ORDER BY lexeme) FROM (SELECT lexeme, count(*) AS n FROM chunks, unnest(tsvector_to_array(tsv)) lexeme GROUP BY lexeme) t) AS counted,
                (SELECT json_agg(json_build_array(chunks, tokens)) FROM chunk_statistics WHERE chunks > 0) AS totals,
                (SELECT json_build_array(json_build_array(count(*), sum(token_count))) FROM chunks) AS chunks`,
      );
      assert.deepEqual(rows[0]!.stored, rows[0]!.counted);
      assert.deepEqual(rows[0]!.totals, rows[0]!.chunks);
    };
    await recount();
    const admin = await runtime.services.users.create(systemActor, { email: 'admin@example.com', role: 'admin' });
    await runtime.services.documents.delete({ userId: admin.id, email: admin.email, role: 'admin' }, id);
    await recount();
  });
});

describe('termsToMatch', () => {
  const terms = [
    { lexeme: 'clock', chunks: 900 },
    { lexeme: 'clk_div_en', chunks: 3 },
    { lexeme: 'gate', chunks: 120 },
    { lexeme: 'the', chunks: 5000 },
  ];

  it('takes the rarest terms while their postings fit the budget', () => {
    assert.deepEqual(
      termsToMatch(terms, 1000, 50).map((t) => t.lexeme),
      ['clk_div_en', 'gate'],
    );
    assert.deepEqual(
      termsToMatch(terms, 10_000, 50).map((t) => t.lexeme),
      ['clk_div_en', 'gate', 'clock', 'the'],
    );
  });

  it('goes past the budget until the wanted number of chunks can be found, and always takes one term', () => {
    assert.deepEqual(
      termsToMatch(terms, 100, 500).map((t) => t.lexeme),
      ['clk_div_en', 'gate', 'clock'],
    );
    assert.deepEqual(
      termsToMatch([{ lexeme: 'the', chunks: 5000 }], 10, 1).map((t) => t.lexeme),
      ['the'],
    );
  });
});
