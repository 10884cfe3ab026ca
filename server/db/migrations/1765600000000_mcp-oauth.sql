-- Up Migration
-- The MCP authorization flow (OAuth 2.1 with PKCE, MCP spec 2025-06-18): clients registered
-- dynamically (RFC 7591), authorizations waiting for the user's consent, the grants a user
-- gave (revocable in the console) and their tokens, stored as SHA-256 hashes only.

CREATE TABLE oauth_clients (
  client_id text PRIMARY KEY,
  client_name text,
  redirect_uris text[] NOT NULL,
  -- The registration as the client sent it and the server kept it (RFC 7591 metadata).
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id);

-- One authorization request from /authorize to the user's answer; the code is set once they approve.
CREATE TABLE oauth_authorizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  code_challenge text NOT NULL,
  state text,
  resource text NOT NULL,
  grant_id uuid REFERENCES oauth_grants (id) ON DELETE CASCADE,
  code_hash text UNIQUE,
  code_used_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_authorizations_expiry_idx ON oauth_authorizations (expires_at);

CREATE TABLE oauth_tokens (
  token_hash text PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
  resource text NOT NULL,
  expires_at timestamptz NOT NULL,
  -- A refresh token is used once: rotated, it is kept (revoked) so that its reuse is detected.
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_tokens_grant_idx ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_expiry_idx ON oauth_tokens (expires_at);

-- Down Migration
DROP TABLE oauth_tokens;
DROP TABLE oauth_authorizations;
DROP TABLE oauth_grants;
DROP TABLE oauth_clients;
