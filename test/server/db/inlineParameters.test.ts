import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../server/db/Database.ts';
import { inlineParameters } from '../../../server/db/inlineParameters.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

describe('inlineParameters and Database.queryInOneMessage', () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db?.close());

  it('writes strings, numbers, nulls and arrays as literals that read back exactly, quotes and backslashes included', async () => {
    const tricky = `it's a \\ "test"; DROP TABLE users; --`;
    const sql = inlineParameters(
      'SELECT $1::text AS text, $2::float8 AS number, $3::text AS nothing, $4::text[] AS list, $5::uuid[] AS ids',
      [tricky, 0.125, null, [tricky, 'plain', null], ['00000000-0000-0000-0000-000000000001']],
    );
    const { rows } = await db.queryInOneMessage([sql]);
    assert.deepEqual(rows[0], {
      text: tricky,
      number: 0.125,
      nothing: null,
      list: [tricky, 'plain', null],
      ids: ['00000000-0000-0000-0000-000000000001'],
    });
    const { rows: users } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = $1',
      ['users'],
    );
    assert.equal(users[0]!.n, 1, 'the text stayed a value');
  });

  it('refuses what it cannot write safely, and placeholders without values', () => {
    assert.throws(() => inlineParameters('SELECT $1', [Number.NaN]), /finite/);
    assert.throws(() => inlineParameters('SELECT $1', [{ a: 1 }]), /cannot write/);
    assert.throws(() => inlineParameters('SELECT $2', ['x']), /no value for \$2/);
  });

  it('holds SET LOCAL for the statements after it in the message only, and an error leaves no transaction open', async () => {
    const { rows } = await db.queryInOneMessage<{ ef: string }>([
      'SET LOCAL hnsw.ef_search = 123',
      "SELECT current_setting('hnsw.ef_search') AS ef",
    ]);
    assert.equal(rows[0]!.ef, '123');
    assert.notEqual((await db.query<{ ef: string }>("SELECT current_setting('hnsw.ef_search') AS ef")).rows[0]!.ef, '123');
    await assert.rejects(db.queryInOneMessage(['SET LOCAL hnsw.ef_search = 77', 'SELECT 1 / 0']), /division by zero/);
    const { rows: after } = await db.query<{ ef: string }>("SELECT current_setting('hnsw.ef_search') AS ef");
    assert.notEqual(after[0]!.ef, '77');
  });
});
