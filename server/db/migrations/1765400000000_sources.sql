-- Up Migration

-- A source keeps one collection in step with a place where company knowledge lives (a Git
-- repository, a web site). Its documents are ordinary documents of that collection.
CREATE TABLE sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('git', 'web')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  url text NOT NULL,
  -- The kind's own settings (branch, include and exclude globs, a link template, crawl limits).
  settings jsonb NOT NULL DEFAULT '{}',
  -- A cron expression (UTC); NULL syncs only when asked.
  schedule text,
  paused boolean NOT NULL DEFAULT false,
  -- AES-256-GCM under SOURCE_CREDENTIALS_KEY (nonce, tag and ciphertext); never returned.
  credentials bytea,
  -- Where the last complete sync left the source (the commit; the pages' ETags), for the next one.
  sync_cursor jsonb,
  next_sync_at timestamptz,
  -- The run holding the source, renewed while it works: two syncs of a source never overlap,
  -- across instances too, and a lease left by a killed process lapses.
  lease_holder uuid,
  lease_expires_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (collection_id, name)
);
CREATE INDEX sources_next_sync_idx ON sources (next_sync_at) WHERE schedule IS NOT NULL AND NOT paused;

CREATE TABLE source_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'created')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  stage text NOT NULL DEFAULT 'queued',
  added integer NOT NULL DEFAULT 0,
  changed integer NOT NULL DEFAULT 0,
  deleted integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  -- [{item, code, message}], at most a few hundred kept.
  errors jsonb NOT NULL DEFAULT '[]',
  error jsonb,
  cursor jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
-- One run of a source waits or works at a time: asking again while one does returns it.
CREATE UNIQUE INDEX source_runs_one_active_key ON source_runs (source_id) WHERE status IN ('queued', 'running');
CREATE INDEX source_runs_source_idx ON source_runs (source_id, created_at DESC);

-- What a source's sync stored last, item by item: the version it saw (a blob id, an ETag) and
-- the document it became. Written in the transaction that registers the document, so a sync
-- killed half-way resumes from here without duplicates.
CREATE TABLE source_items (
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  item_key text NOT NULL,
  version text NOT NULL,
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, item_key)
);
CREATE INDEX source_items_document_idx ON source_items (document_id);

-- Where a document lives in its source (repository, path, commit or URL; a link to open it
-- there), for citations. NULL for uploads.
ALTER TABLE documents ADD COLUMN origin jsonb;
-- The lines of its file a chunk holds, for citations of code and text from a source.
ALTER TABLE chunks ADD COLUMN line_start integer, ADD COLUMN line_end integer;

ALTER TABLE documents DROP CONSTRAINT documents_source_check;
ALTER TABLE documents ADD CONSTRAINT documents_source_check CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api', 'source'));
ALTER TABLE ingestion_jobs DROP CONSTRAINT ingestion_jobs_source_check;
ALTER TABLE ingestion_jobs ADD CONSTRAINT ingestion_jobs_source_check CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api', 'source'));

-- Down Migration
ALTER TABLE ingestion_jobs DROP CONSTRAINT ingestion_jobs_source_check;
ALTER TABLE ingestion_jobs ADD CONSTRAINT ingestion_jobs_source_check CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api'));
ALTER TABLE documents DROP CONSTRAINT documents_source_check;
ALTER TABLE documents ADD CONSTRAINT documents_source_check CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api'));
ALTER TABLE chunks DROP COLUMN line_start, DROP COLUMN line_end;
ALTER TABLE documents DROP COLUMN origin;
DROP TABLE source_items;
DROP TABLE source_runs;
DROP TABLE sources;
