-- Up Migration

-- A second vector per chunk from the bundled CPU sentence encoder (embedded mode), added in the
-- background after ingestion (EmbedSentenceVectorsTask): the hashed vectors in chunks.embedding
-- stay the ones a document is searchable with the moment it is ready. collection_id is
-- denormalised, as in chunks, so grant filtering needs no join.
CREATE TABLE chunk_sentence_vectors (
  chunk_id bigint NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  model text NOT NULL,
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  embedding vector(512) NOT NULL,
  PRIMARY KEY (chunk_id, model)
);
CREATE INDEX chunk_sentence_vectors_hnsw ON chunk_sentence_vectors USING hnsw (embedding vector_cosine_ops);

-- Down Migration
DROP TABLE chunk_sentence_vectors;
