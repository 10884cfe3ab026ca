-- Up Migration

-- An estimate of when a running ingestion job finishes, shown to admins beside its progress.
ALTER TABLE ingestion_jobs ADD COLUMN estimated_finish_at timestamptz;
-- Jobs still in flight, for the watchdog that finds stalled ones.
CREATE INDEX ingestion_jobs_unfinished_idx ON ingestion_jobs (updated_at) WHERE state IN ('queued', 'running');

-- A collection being re-embedded with another model keeps serving its current vectors until
-- every chunk has a vector of the new model; then embedding_model switches in one statement.
ALTER TABLE collections ADD COLUMN reembedding_model text;
ALTER TABLE collections ADD COLUMN reembedding_dimension integer CHECK (reembedding_dimension IS NULL OR reembedding_dimension > 0);
ALTER TABLE collections ADD COLUMN reembedding_error jsonb;

-- The collections a user may change (upload, delete, re-embed): admins, and groups granted 'edit'.
CREATE FUNCTION editable_collection_ids(p_user_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT c.id FROM collections c
  WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND u.role = 'admin')
     OR EXISTS (
       SELECT 1 FROM collection_grants g
       WHERE g.collection_id = c.id AND g.permission = 'edit'
         AND g.group_id IN (SELECT m.group_id FROM memberships m WHERE m.user_id = p_user_id)
     )
$$;

-- Down Migration
DROP FUNCTION editable_collection_ids(uuid);
ALTER TABLE collections DROP COLUMN reembedding_error;
ALTER TABLE collections DROP COLUMN reembedding_dimension;
ALTER TABLE collections DROP COLUMN reembedding_model;
DROP INDEX ingestion_jobs_unfinished_idx;
ALTER TABLE ingestion_jobs DROP COLUMN estimated_finish_at;
