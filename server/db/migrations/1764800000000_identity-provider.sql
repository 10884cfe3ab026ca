-- Up Migration
-- Company sign-in: users and groups that the identity provider owns (OIDC sign-in, SCIM).

-- A deactivated user (SCIM active=false) keeps their row, conversations and audit trail but
-- reads nothing and cannot authenticate. The OIDC subject links an account to the provider
-- for good, whatever its email becomes; external_id is the provider's id from SCIM.
ALTER TABLE users
  ADD COLUMN active boolean NOT NULL DEFAULT true,
  ADD COLUMN oidc_issuer text,
  ADD COLUMN oidc_subject text,
  ADD COLUMN external_id text;
CREATE UNIQUE INDEX users_oidc_subject_key ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE UNIQUE INDEX users_external_id_key ON users (external_id) WHERE external_id IS NOT NULL;

-- A group the identity provider manages ('oidc' from the groups claim, 'scim' when provisioned):
-- its members come from the provider only and cannot be edited by hand; grants to it are
-- Tapeout's own and are edited as for any group.
ALTER TABLE groups
  ADD COLUMN managed_by text CHECK (managed_by IN ('oidc', 'scim')),
  ADD COLUMN external_id text;
CREATE UNIQUE INDEX groups_external_id_key ON groups (external_id) WHERE external_id IS NOT NULL;

-- An OIDC sign-in between the redirect to the provider and its callback. The browser holds the
-- attempt's token in a cookie; the row holds the PKCE verifier, state and nonce. A row is used
-- once (deleted when the callback reads it), so a replayed callback finds nothing.
CREATE TABLE oidc_sign_in_attempts (
  token_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL DEFAULT '/',
  expires_at timestamptz NOT NULL
);

-- Sign-out through the provider's end-session endpoint needs the ID token as a hint (Okta
-- requires it); it is kept with the session it signed in and deleted with it.
ALTER TABLE sessions ADD COLUMN id_token_hint text;

-- An inactive user reads nothing, whatever their role or groups.
CREATE OR REPLACE FUNCTION visible_collection_ids(p_user_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT c.id FROM collections c
  WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND NOT u.active)
    AND (EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND u.role = 'admin')
     OR EXISTS (
       SELECT 1 FROM collection_grants g
       WHERE g.collection_id = c.id
         AND (g.group_id IN (SELECT m.group_id FROM memberships m WHERE m.user_id = p_user_id)
              OR g.group_id = (SELECT id FROM groups WHERE name = 'everyone' AND is_builtin))
     ))
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION visible_collection_ids(p_user_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT c.id FROM collections c
  WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND u.role = 'admin')
     OR EXISTS (
       SELECT 1 FROM collection_grants g
       WHERE g.collection_id = c.id
         AND (g.group_id IN (SELECT m.group_id FROM memberships m WHERE m.user_id = p_user_id)
              OR g.group_id = (SELECT id FROM groups WHERE name = 'everyone' AND is_builtin))
     )
$$;
ALTER TABLE sessions DROP COLUMN IF EXISTS id_token_hint;
DROP TABLE IF EXISTS oidc_sign_in_attempts;
DROP INDEX IF EXISTS groups_external_id_key;
ALTER TABLE groups DROP COLUMN IF EXISTS managed_by, DROP COLUMN IF EXISTS external_id;
DROP INDEX IF EXISTS users_external_id_key;
DROP INDEX IF EXISTS users_oidc_subject_key;
ALTER TABLE users DROP COLUMN IF EXISTS active, DROP COLUMN IF EXISTS oidc_issuer, DROP COLUMN IF EXISTS oidc_subject, DROP COLUMN IF EXISTS external_id;
