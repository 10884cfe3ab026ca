-- Up Migration

-- BM25 needs, per query term, how many chunks hold it (its document frequency), and the chunk
-- count and mean length of the collections searched. Counting them at query time costs a read of
-- every matching chunk, which grows with the corpus; these tables keep them current instead,
-- per collection and embedding model (during a re-embedding each model has its own copy of the
-- chunks, and a search reads one of them).
CREATE TABLE term_statistics (
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  embedding_model text NOT NULL,
  lexeme text NOT NULL,
  chunks integer NOT NULL,
  PRIMARY KEY (collection_id, embedding_model, lexeme)
);

CREATE TABLE chunk_statistics (
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  embedding_model text NOT NULL,
  chunks bigint NOT NULL,
  tokens bigint NOT NULL,
  PRIMARY KEY (collection_id, embedding_model)
);

-- Kept by statement-level triggers, so every writer (ingestion swaps, re-embedding, deletes and
-- their cascades) is counted without application code. Writers of one collection are serialised
-- on an advisory lock first: two swaps updating the same hot terms in different orders would
-- otherwise deadlock. Removals update in place rather than upsert: when a collection is deleted,
-- its statistics rows may already be gone by the time the chunks' cascade fires this trigger.
CREATE FUNCTION count_chunk_terms() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('term_statistics'), hashtext(collection_id::text))
     FROM (SELECT DISTINCT collection_id FROM changed ORDER BY 1) collections;
  IF delta = 1 THEN
    INSERT INTO term_statistics AS s (collection_id, embedding_model, lexeme, chunks)
    SELECT collection_id, embedding_model, lexeme, count(*)
      FROM changed, unnest(tsvector_to_array(tsv)) lexeme
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (collection_id, embedding_model, lexeme) DO UPDATE SET chunks = s.chunks + excluded.chunks;
    INSERT INTO chunk_statistics AS s (collection_id, embedding_model, chunks, tokens)
    SELECT collection_id, embedding_model, count(*), sum(token_count) FROM changed GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (collection_id, embedding_model) DO UPDATE SET chunks = s.chunks + excluded.chunks, tokens = s.tokens + excluded.tokens;
  ELSE
    UPDATE term_statistics s SET chunks = s.chunks - d.chunks
      FROM (SELECT collection_id, embedding_model, lexeme, count(*) AS chunks
              FROM changed, unnest(tsvector_to_array(tsv)) lexeme GROUP BY 1, 2, 3) d
     WHERE (s.collection_id, s.embedding_model, s.lexeme) = (d.collection_id, d.embedding_model, d.lexeme);
    UPDATE chunk_statistics s SET chunks = s.chunks - d.chunks, tokens = s.tokens - d.tokens
      FROM (SELECT collection_id, embedding_model, count(*) AS chunks, sum(token_count) AS tokens FROM changed GROUP BY 1, 2) d
     WHERE (s.collection_id, s.embedding_model) = (d.collection_id, d.embedding_model);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER chunks_count_inserted_terms AFTER INSERT ON chunks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_chunk_terms();
CREATE TRIGGER chunks_count_deleted_terms AFTER DELETE ON chunks
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_chunk_terms();

INSERT INTO term_statistics (collection_id, embedding_model, lexeme, chunks)
SELECT collection_id, embedding_model, lexeme, count(*) FROM chunks, unnest(tsvector_to_array(tsv)) lexeme GROUP BY 1, 2, 3;
INSERT INTO chunk_statistics (collection_id, embedding_model, chunks, tokens)
SELECT collection_id, embedding_model, count(*), sum(token_count) FROM chunks GROUP BY 1, 2;

-- How often a lexeme occurs in a chunk's search vector, headings (weight A) counting twice, as
-- BM25F-lite wants. Postgres has no function for one lexeme's count, and unnest() costs a row per
-- lexeme of every candidate (five times slower on a 10k-chunk corpus). ts_rank of a one-lexeme
-- query is a known function of that count: with every weight 1 it is sum(1/i^2, i = 1..n) / (pi^2/6)
-- (calc_rank_or in tsrank.c), and with only weight A at 1 it counts the heading occurrences,
-- which come first because headings are concatenated first. Inverting sum(1/i^2) ~ pi^2/6 - 1/n
-- + 1/(2n^2) gives n = round(1 / (pi^2/6 - x) - 1/2), exact for the 256 positions a lexeme keeps,
-- and 0 for a rank of 0. The rank appears once so that the function is inlined without
-- computing ts_rank twice.
CREATE FUNCTION lexeme_occurrences(rank real) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT round(1 / GREATEST(pi() ^ 2 / 6 * (1 - rank), 1.0 / 1024) - 0.5)::integer
$$;

CREATE FUNCTION weighted_term_frequency(doc tsvector, lexeme tsquery) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lexeme_occurrences(ts_rank('{1,1,1,1}', doc, lexeme, 0)) + lexeme_occurrences(ts_rank('{0,0,0,1}', doc, lexeme, 0))
$$;

-- Down Migration
DROP FUNCTION weighted_term_frequency(tsvector, tsquery);
DROP FUNCTION lexeme_occurrences(real);
DROP TRIGGER chunks_count_deleted_terms ON chunks;
DROP TRIGGER chunks_count_inserted_terms ON chunks;
DROP FUNCTION count_chunk_terms();
DROP TABLE chunk_statistics;
DROP TABLE term_statistics;
