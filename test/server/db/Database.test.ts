import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataDirInUseError } from '../../../server/db/EmbeddedPostgres.ts';
import type { Database } from '../../../server/db/Database.ts';
import { embeddingExpression } from '../../../server/db/embeddingIndex.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

describe('Database (embedded PGlite + pgvector through pg)', () => {
  let dir: string;
  let db: Database;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-db-'));
    db = await openTestDatabase(dir);
  });
  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the whole schema through the migrations', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    const tables = rows.map((row) => row.table_name);
    for (const table of [
      'users',
      'groups',
      'memberships',
      'api_keys',
      'collections',
      'collection_grants',
      'documents',
      'chunks',
      'assistants',
      'assistant_collections',
      'conversations',
      'messages',
      'feedback',
      'ingestion_jobs',
      'audit_events',
    ]) {
      assert.ok(tables.includes(table), `missing table ${table}`);
    }
  });

  it('indexes embeddings with HNSW and the tsvector with GIN', async () => {
    const { rows } = await db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks'`);
    const definitions = rows.map((row) => row.indexdef).join('\n');
    assert.match(definitions, /USING hnsw \(\(\(embedding\)::vector\(1024\)\) vector_cosine_ops\)/);
    assert.match(definitions, /USING gin \(tsv\)/);
  });

  it('builds every HNSW graph with ef_construction 200, for recall at 100k chunks', async () => {
    const { rows } = await db.query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'hnsw' ORDER BY 1`,
    );
    assert.equal(rows.length, 7, 'six chunk dimensions and the sentence vectors');
    for (const row of rows) assert.deepEqual(row.options, ['ef_construction=200'], row.name);
  });

  it('uses the HNSW index for a nearest-neighbour query of an indexed dimension', async () => {
    await db.query('SET enable_seqscan = off');
    const vector = `[${Array.from({ length: 1024 }, () => 0.1).join(',')}]`;
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM chunks WHERE embedding_dimension = 1024
        ORDER BY ${embeddingExpression(1024)} <=> $1::vector(1024) LIMIT 5`,
      [vector],
    );
    await db.query('RESET enable_seqscan');
    assert.match(rows.map((row) => row['QUERY PLAN']).join('\n'), /chunks_embedding_hnsw_1024/);
  });

  it('runs transactions on several pooled connections at once', async () => {
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        db.transaction(async (client) => {
          await client.query(`INSERT INTO audit_events (action) VALUES ($1)`, [`concurrent-${n}`]);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }),
      ),
    );
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM audit_events WHERE action LIKE 'concurrent-%'`);
    assert.equal(rows[0]!.count, '4');
  });

  it('keeps concurrent parameterised queries on different connections apart', async () => {
    // Each pg query is a Parse/Bind/Execute/Sync batch; batches from two connections must not
    // interleave in PGlite's single session (electric-sql/pglite#1046).
    const transactions = Array.from({ length: 20 }, (_, i) =>
      db.transaction(async (client) => {
        await client.query('INSERT INTO audit_events (action) VALUES ($1)', [`tx-${i}`]);
        const { rows } = await client.query<{ v: string }>('SELECT $1::text AS v', [`tx-${i}`]);
        return rows[0]!.v === `tx-${i}`;
      }),
    );
    const queries = Array.from({ length: 120 }, (_, i) =>
      i % 2
        ? db.query<{ v: string }>('SELECT $1::text || $2::text AS v', [`a${i}`, `b${i}`]).then((r) => r.rows[0]!.v === `a${i}b${i}`)
        : db.query<{ v: number }>('SELECT $1::int * 2 AS v', [i]).then((r) => r.rows[0]!.v === i * 2),
    );
    const results = await Promise.all([...transactions, ...queries]);
    assert.equal(results.filter(Boolean).length, 140);
  });

  it('serves other connections after a client fails mid-batch and disconnects', async () => {
    const client = await db.pool.connect();
    await assert.rejects(client.query('SELECT $1::int', ['not a number']));
    client.release(true);
    const { rows } = await db.query<{ v: number }>('SELECT $1::int + 1 AS v', [41]);
    assert.equal(rows[0]!.v, 42);
  });

  it('rolls a failed transaction back completely', async () => {
    await assert.rejects(
      db.transaction(async (client) => {
        await client.query(`INSERT INTO audit_events (action) VALUES ('half-done')`);
        await client.query('SELECT 1/0');
      }),
    );
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM audit_events WHERE action = 'half-done'`);
    assert.equal(rows[0]!.count, '0');
  });

  it('serves a persisted database only on a socket its owner can reach', async () => {
    const directory = await stat(dir);
    assert.equal(directory.mode & 0o077, 0, 'data directory is private');
    const socket = await stat(path.join(dir, '.s.PGSQL.5432'));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o077, 0, 'socket is private');
    assert.equal(db.displayUrl, `embedded (${dir})`);
  });

  it('never serves on TCP: a data directory too deep for a socket path, and an in-memory database, get a private socket directory of their own', async () => {
    const deep = path.join(dir, 'a-directory-name-long-enough-to-push-the-socket-path-past-the-limit', 'and-then-some-more-of-it');
    for (const embeddedDir of [deep, undefined]) {
      const other = await openTestDatabase(embeddedDir);
      const socketDir = other.displayUrl.match(/^embedded \((\/.+)\)$/)?.[1];
      try {
        assert.ok(socketDir, `served on a socket: ${other.displayUrl}`);
        assert.notEqual(socketDir, embeddedDir);
        assert.equal((await stat(socketDir)).mode & 0o077, 0, 'its directory is private');
        assert.ok((await stat(path.join(socketDir, '.s.PGSQL.5432'))).isSocket());
        assert.equal((await other.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n, 1);
      } finally {
        await other.close();
      }
      await assert.rejects(stat(socketDir), /ENOENT/, 'removed on stop');
    }
  });

  it('refuses a second process on the same data directory', async () => {
    await assert.rejects(openTestDatabase(dir), DataDirInUseError);
  });

  it('refreshes planner statistics itself after writes, as PGlite has no autovacuum', async () => {
    const reltuples = async () =>
      (await db.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'audit_events'`)).rows[0]!.n;
    await db.query(`INSERT INTO audit_events (action) SELECT 'bulk-' || g FROM generate_series(1, 500) g`);
    assert.ok((await reltuples()) < 500, 'not analyzed yet');
    const { Database } = await import('../../../server/db/Database.ts');
    const previous = Database.analyzeAfterMs;
    Database.analyzeAfterMs = 50;
    try {
      db.noteWrites();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok((await reltuples()) >= 500, 'ANALYZE ran');
    } finally {
      Database.analyzeAfterMs = previous;
    }
  });

  it('keeps data across a restart and does not re-apply migrations', async () => {
    await db.query(`INSERT INTO audit_events (action) VALUES ('before-restart')`);
    await db.close();
    db = await openTestDatabase(dir);
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM audit_events WHERE action = 'before-restart'`);
    assert.equal(rows[0]!.count, '1');
    const migrations = await db.query<{ count: string }>('SELECT count(*) FROM schema_migrations');
    const files = (await readdir(new URL('../../../server/db/migrations/', import.meta.url))).filter((file) => file.endsWith('.sql'));
    assert.equal(Number(migrations.rows[0]!.count), files.length, 'each migration applied once');
  });
});
