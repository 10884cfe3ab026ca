-- Up Migration
-- Browser sessions of the web app. Only a SHA-256 of the cookie's token is stored (like API
-- keys); the CSRF token is sent back in a header on every state-changing request.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Why an answer is labelled as it is (no LLM configured, the LLM is down), kept so a reloaded
-- conversation shows the same label the asker saw while it streamed.
ALTER TABLE messages ADD COLUMN notice text;

-- Usage reports group questions by day.
CREATE INDEX messages_created_idx ON messages (created_at) WHERE role = 'user';

-- Down Migration
DROP INDEX IF EXISTS messages_created_idx;
ALTER TABLE messages DROP COLUMN IF EXISTS notice;
DROP TABLE IF EXISTS sessions;
