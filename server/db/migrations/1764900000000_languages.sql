-- Up Migration

-- A collection's language: set by an admin (language), or detected from its first documents
-- (detected_language) while language is NULL. BCP 47 codes (server/language/languages.ts);
-- text_search_config follows the one in effect.
ALTER TABLE collections ADD COLUMN language text, ADD COLUMN detected_language text;
-- An admin who chose a stemmer chose its language; 'english' was the default for everyone, so
-- those collections are detected afresh at the next start, and 'simple' said nothing.
UPDATE collections c SET language = m.code
  FROM (VALUES ('arabic', 'ar'), ('armenian', 'hy'), ('basque', 'eu'), ('catalan', 'ca'), ('danish', 'da'), ('dutch', 'nl'),
               ('estonian', 'et'), ('finnish', 'fi'), ('french', 'fr'), ('german', 'de'), ('greek', 'el'), ('hindi', 'hi'),
               ('hungarian', 'hu'), ('indonesian', 'id'), ('irish', 'ga'), ('italian', 'it'), ('lithuanian', 'lt'), ('nepali', 'ne'),
               ('norwegian', 'no'), ('portuguese', 'pt'), ('romanian', 'ro'), ('russian', 'ru'), ('serbian', 'sr'), ('spanish', 'es'),
               ('swedish', 'sv'), ('tamil', 'ta'), ('turkish', 'tr'), ('yiddish', 'yi')) m(config, code)
 WHERE c.text_search_config::text = m.config;

-- The search vector is now built from words the application segmented (searchTokens.ts):
-- Postgres' parser splits only on spaces and punctuation, so Chinese or Thai text would be
-- indexed a whole clause to a word. A plain column written with each chunk, since a generated
-- one can only see the stored text. text_analyzer says which version of that segmentation
-- wrote it: older rows (0, Postgres' own parse of the raw text, kept until then) are rewritten
-- by ReindexCollectionTextTask, as are rows whose text-search configuration is not their
-- collection's any more.
ALTER TABLE chunks DROP COLUMN tsv;
DROP FUNCTION chunk_search_vector(regconfig, text[], text, text[]);
CREATE FUNCTION chunk_search_vector(cfg regconfig, heading text, body text, identifiers text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(cfg, heading), 'A') || setweight(to_tsvector(cfg, body), 'B') || setweight(array_to_tsvector(identifiers), 'B')
$$;
ALTER TABLE chunks ADD COLUMN tsv tsvector, ADD COLUMN text_analyzer smallint NOT NULL DEFAULT 0;
UPDATE chunks SET tsv = chunk_search_vector(text_search_config, array_to_string(heading_path, ' '), text, identifiers);
ALTER TABLE chunks ALTER COLUMN tsv SET NOT NULL;
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);

-- Rewriting a chunk's search vector keeps the term statistics (1764300000000) true: the old
-- vector's lexemes are counted out and the new one's in, under the same per-collection lock.
CREATE FUNCTION recount_updated_chunk_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('term_statistics'), hashtext(collection_id::text))
     FROM (SELECT DISTINCT collection_id FROM new_rows ORDER BY 1) collections;
  UPDATE term_statistics s SET chunks = s.chunks - d.chunks
    FROM (SELECT collection_id, embedding_model, lexeme, count(*) AS chunks
            FROM old_rows, unnest(tsvector_to_array(tsv)) lexeme GROUP BY 1, 2, 3) d
   WHERE (s.collection_id, s.embedding_model, s.lexeme) = (d.collection_id, d.embedding_model, d.lexeme);
  INSERT INTO term_statistics AS s (collection_id, embedding_model, lexeme, chunks)
  SELECT collection_id, embedding_model, lexeme, count(*)
    FROM new_rows, unnest(tsvector_to_array(tsv)) lexeme
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (collection_id, embedding_model, lexeme) DO UPDATE SET chunks = s.chunks + excluded.chunks;
  RETURN NULL;
END
$$;
CREATE TRIGGER chunks_count_updated_terms AFTER UPDATE ON chunks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION recount_updated_chunk_terms();

-- What the collection's chunks were last all indexed with (the analyzer version and the
-- configuration), so that start-up finds the collections to reindex without reading chunks.
ALTER TABLE collections ADD COLUMN text_index_analyzer smallint NOT NULL DEFAULT 0, ADD COLUMN text_index_config regconfig;

-- Down Migration
DROP TRIGGER chunks_count_updated_terms ON chunks;
DROP FUNCTION recount_updated_chunk_terms();
ALTER TABLE chunks DROP COLUMN tsv, DROP COLUMN text_analyzer;
DROP FUNCTION chunk_search_vector(regconfig, text, text, text[]);
CREATE FUNCTION chunk_search_vector(cfg regconfig, heading text[], body text, identifiers text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(cfg, array_to_string(heading, ' ')), 'A')
      || setweight(to_tsvector(cfg, body), 'B')
      || setweight(array_to_tsvector(identifiers), 'B')
$$;
ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (chunk_search_vector(text_search_config, heading_path, text, identifiers)) STORED;
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
ALTER TABLE collections DROP COLUMN language, DROP COLUMN detected_language, DROP COLUMN text_index_analyzer, DROP COLUMN text_index_config;
