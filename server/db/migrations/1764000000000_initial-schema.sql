-- Up Migration
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL DEFAULT '',
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
  password_hash text,
  slack_user_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  is_builtin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO groups (name, description, is_builtin) VALUES ('everyone', 'Every user of this Tapeout instance', true);

CREATE TABLE memberships (
  group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- The built-in `everyone` group holds every user, whichever code path creates the user.
CREATE FUNCTION add_user_to_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO memberships (group_id, user_id)
  SELECT id, NEW.id FROM groups WHERE name = 'everyone' AND is_builtin
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE TRIGGER users_join_everyone AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION add_user_to_everyone();

CREATE FUNCTION keep_everyone_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM groups WHERE id = OLD.group_id AND name = 'everyone' AND is_builtin)
     AND EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
    RAISE EXCEPTION 'users cannot leave the built-in everyone group';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER memberships_keep_everyone BEFORE DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION keep_everyone_membership();

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  -- Only a SHA-256 of the key is stored; the prefix lets people recognise a key in lists.
  prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);

CREATE TABLE collections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  embedding_model text NOT NULL,
  embedding_dimension integer NOT NULL CHECK (embedding_dimension > 0),
  text_search_config regconfig NOT NULL DEFAULT 'english',
  chunk_size integer NOT NULL DEFAULT 512 CHECK (chunk_size BETWEEN 64 AND 8192),
  chunk_overlap integer NOT NULL DEFAULT 77 CHECK (chunk_overlap >= 0),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (chunk_overlap < chunk_size)
);

CREATE TABLE collection_grants (
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  permission text NOT NULL DEFAULT 'read' CHECK (permission IN ('read', 'edit')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection_id, group_id)
);
CREATE INDEX collection_grants_group_idx ON collection_grants (group_id);

-- The one definition of "what may this user read", used by every query that reads chunks.
-- Admins see every collection; a collection with no grants is therefore admin-only; a NULL
-- user (for example an unmapped Slack user) sees only what is granted to `everyone`.
-- The role is read from the users table here, never taken from the caller.
CREATE FUNCTION visible_collection_ids(p_user_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT c.id FROM collections c
  WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND u.role = 'admin')
     OR EXISTS (
       SELECT 1 FROM collection_grants g
       WHERE g.collection_id = c.id
         AND (g.group_id IN (SELECT m.group_id FROM memberships m WHERE m.user_id = p_user_id)
              OR g.group_id = (SELECT id FROM groups WHERE name = 'everyone' AND is_builtin))
     )
$$;

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  external_id text,
  source text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api')),
  filename text,
  title text NOT NULL DEFAULT '',
  mime_type text,
  content_hash text NOT NULL,
  byte_size bigint,
  storage_path text,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'ready', 'failed')),
  error jsonb,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX documents_external_id_key ON documents (collection_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX documents_collection_filename_idx ON documents (collection_id, filename);
CREATE INDEX documents_content_hash_idx ON documents (collection_id, content_hash);

CREATE TABLE chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  -- Denormalised from the document so grant filtering needs no join.
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  -- Chunks of a new version are written beside the old ones and swapped by bumping documents.version.
  document_version integer NOT NULL,
  ordinal integer NOT NULL,
  text text NOT NULL,
  heading_path text[] NOT NULL DEFAULT '{}',
  page integer,
  token_count integer NOT NULL,
  embedding_model text NOT NULL,
  embedding_dimension integer NOT NULL,
  -- Untyped so collections can use different models; see the per-dimension HNSW indexes below.
  embedding vector,
  text_search_config regconfig NOT NULL DEFAULT 'english',
  tsv tsvector GENERATED ALWAYS AS (to_tsvector(text_search_config, text)) STORED,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, document_version, embedding_model, ordinal),
  CHECK (embedding IS NULL OR vector_dims(embedding) = embedding_dimension)
);
CREATE INDEX chunks_collection_idx ON chunks (collection_id);
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);

-- HNSW needs a fixed dimension, so there is one partial expression index per common embedding
-- size (pgvector's documented pattern for several models in one table). Queries must use the
-- same expression; server/db/embeddingIndex.ts builds it. Sizes over 2000 use halfvec (HNSW indexes vector up to 2000 and halfvec up to 4000 dimensions).
CREATE INDEX chunks_embedding_hnsw_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE embedding_dimension = 384;
CREATE INDEX chunks_embedding_hnsw_512 ON chunks USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE embedding_dimension = 512;
CREATE INDEX chunks_embedding_hnsw_768 ON chunks USING hnsw ((embedding::vector(768)) vector_cosine_ops) WHERE embedding_dimension = 768;
CREATE INDEX chunks_embedding_hnsw_1024 ON chunks USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE embedding_dimension = 1024;
CREATE INDEX chunks_embedding_hnsw_1536 ON chunks USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE embedding_dimension = 1536;
CREATE INDEX chunks_embedding_hnsw_2048 ON chunks USING hnsw ((embedding::halfvec(2048)) halfvec_cosine_ops) WHERE embedding_dimension = 2048;

CREATE TABLE assistants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  system_prompt text NOT NULL,
  model text,
  temperature real CHECK (temperature IS NULL OR temperature BETWEEN 0 AND 2),
  retrieval jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assistant_collections (
  assistant_id uuid NOT NULL REFERENCES assistants (id) ON DELETE CASCADE,
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  PRIMARY KEY (assistant_id, collection_id)
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  assistant_id uuid NOT NULL REFERENCES assistants (id) ON DELETE CASCADE,
  title text NOT NULL DEFAULT '',
  channel text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'api', 'slack')),
  external_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user_idx ON conversations (user_id, updated_at DESC);
CREATE UNIQUE INDEX conversations_external_ref_key ON conversations (channel, external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL DEFAULT '',
  citations jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'complete' CHECK (status IN ('streaming', 'complete', 'cancelled', 'failed')),
  -- How the answer was produced: 'llm', or 'extractive' when no LLM answered. Shown to users.
  answer_mode text CHECK (answer_mode IS NULL OR answer_mode IN ('llm', 'extractive')),
  model text,
  error jsonb,
  prompt_tokens integer,
  completion_tokens integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);

CREATE TABLE feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  rating smallint NOT NULL CHECK (rating IN (-1, 1)),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX feedback_message_user_key ON feedback (message_id, user_id);

CREATE TABLE ingestion_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  document_id uuid REFERENCES documents (id) ON DELETE CASCADE,
  filename text,
  source text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'cli', 'import', 'seed', 'slack', 'api')),
  -- The file this job ingests and the document version it will become once swapped in.
  storage_path text NOT NULL,
  content_hash text NOT NULL,
  byte_size bigint NOT NULL,
  target_version integer NOT NULL CHECK (target_version > 0),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'completed', 'failed')),
  progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  stage text NOT NULL DEFAULT 'queued',
  error jsonb,
  attempts integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX ingestion_jobs_collection_idx ON ingestion_jobs (collection_id, created_at DESC);

CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  action text NOT NULL,
  target_type text,
  target_id text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC);

-- Instance-wide facts such as "the demo content was seeded", so a restart never repeats it.
CREATE TABLE instance_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE instance_settings, audit_events, ingestion_jobs, feedback, messages, conversations, assistant_collections, assistants,
  chunks, documents, collection_grants, collections, api_keys, memberships, groups, users CASCADE;
DROP FUNCTION IF EXISTS visible_collection_ids(uuid), keep_everyone_membership(), add_user_to_everyone();
