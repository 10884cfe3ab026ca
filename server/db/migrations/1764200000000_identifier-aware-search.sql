-- Up Migration

-- Identifiers as written (clk_div_en, u_core/u_alu/add_q, STREAM_MCAST_DEST), lower-cased and
-- extracted by the application (server/retrieval/identifierTerms.ts): Postgres' text parser cuts
-- them at underscores and slashes, so they are indexed whole beside the parsed words.
ALTER TABLE chunks ADD COLUMN identifiers text[] NOT NULL DEFAULT '{}';

-- What full-text search matches: the heading path (weight A: titles and section names say what a
-- passage is about), the text (B), and the identifiers verbatim (B). Declared IMMUTABLE for the
-- generated column: array_to_string is only STABLE because of element output functions, which
-- for text[] cannot change.
CREATE FUNCTION chunk_search_vector(cfg regconfig, heading text[], body text, identifiers text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(cfg, array_to_string(heading, ' ')), 'A')
      || setweight(to_tsvector(cfg, body), 'B')
      || setweight(array_to_tsvector(identifiers), 'B')
$$;

ALTER TABLE chunks DROP COLUMN tsv;
ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (chunk_search_vector(text_search_config, heading_path, text, identifiers)) STORED;
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);

-- Down Migration
ALTER TABLE chunks DROP COLUMN tsv;
ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector(text_search_config, text)) STORED;
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
DROP FUNCTION chunk_search_vector(regconfig, text[], text, text[]);
ALTER TABLE chunks DROP COLUMN identifiers;
