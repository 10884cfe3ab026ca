-- Up Migration

-- The HNSW graphs are built with ef_construction 200 instead of pgvector's default 64. Measured
-- on 100,000 chunks of the CPU embedder's hashed vectors (bench:chat's corpus, ef_search 1,000):
-- recall@10 was 0.932 to 0.994 from one build to the next with 64, below 0.95 in two of four;
-- 0.976 and 0.996 with 200. An insert into the graph costs 5.1 ms instead of 3.7 (docs/quality.md).
-- Rows added from now on are linked with the new setting. Existing graphs are rebuilt here when
-- they hold up to 200,000 rows (about three minutes each on two cores), in memory rather than in
-- pages on disk, which is four to eight times slower; larger ones are left for the operator to
-- rebuild without blocking writes: REINDEX INDEX CONCURRENTLY <name> (docs/architecture.md).
SET LOCAL maintenance_work_mem = '512MB';
DO $$
DECLARE
  target record;
  rows_in_graph bigint;
BEGIN
  FOR target IN
    SELECT i.indexrelid::regclass AS index, i.indrelid::regclass AS tbl, pg_get_expr(i.indpred, i.indrelid) AS predicate
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE am.amname = 'hnsw' AND i.indrelid IN ('chunks'::regclass, 'chunk_sentence_vectors'::regclass)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (ef_construction = 200)', target.index);
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT 200001) s', target.tbl, coalesce(target.predicate, 'true'))
      INTO rows_in_graph;
    IF rows_in_graph = 0 THEN
      CONTINUE;
    ELSIF rows_in_graph <= 200000 THEN
      EXECUTE format('REINDEX INDEX %s', target.index);
    ELSE
      RAISE WARNING 'HNSW index % holds over 200,000 rows: new rows get ef_construction 200 at once; rebuild the rest with REINDEX INDEX CONCURRENTLY %', target.index, target.index;
    END IF;
  END LOOP;
END $$;

-- Down Migration
DO $$
DECLARE
  target record;
BEGIN
  FOR target IN
    SELECT i.indexrelid::regclass AS index
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE am.amname = 'hnsw' AND i.indrelid IN ('chunks'::regclass, 'chunk_sentence_vectors'::regclass)
  LOOP
    EXECUTE format('ALTER INDEX %s RESET (ef_construction)', target.index);
  END LOOP;
END $$;
