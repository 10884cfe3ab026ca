-- Up Migration
-- A Slack channel's audience: who reads its answers. An answer posted there uses only what every
-- member of this group may read (its grants and everyone's); NULL means the built-in everyone.
-- A deleted group falls back to everyone, which can only narrow what the channel reads.
ALTER TABLE slack_channel_bindings ADD COLUMN audience_group_id uuid REFERENCES groups (id) ON DELETE SET NULL;

-- What every member of a group may read: collections granted to it or to everyone.
CREATE FUNCTION audience_collection_ids(p_group_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT g.collection_id FROM collection_grants g
   WHERE g.group_id = p_group_id OR g.group_id = (SELECT id FROM groups WHERE name = 'everyone' AND is_builtin)
$$;

-- What a principal reads: an audience's shared collections when one is given, else the user's own.
CREATE FUNCTION readable_collection_ids(p_user_id uuid, p_audience_group_id uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT audience_collection_ids(p_audience_group_id) WHERE p_audience_group_id IS NOT NULL
  UNION ALL
  SELECT visible_collection_ids(p_user_id) WHERE p_audience_group_id IS NULL
$$;

-- Security-relevant events (the table exists since the first migration, unused until now):
-- whether the act succeeded, and who (kept as text too, so the trail survives a deleted user)
-- from where. Sign-ins and their failures, and sign-outs, are written so far.
ALTER TABLE audit_events
  ADD COLUMN outcome text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'failure')),
  ADD COLUMN actor_email text,
  ADD COLUMN ip text;
CREATE INDEX audit_events_action_idx ON audit_events (action, created_at DESC);

-- Down Migration
DROP INDEX IF EXISTS audit_events_action_idx;
ALTER TABLE audit_events DROP COLUMN IF EXISTS outcome, DROP COLUMN IF EXISTS actor_email, DROP COLUMN IF EXISTS ip;
DROP FUNCTION IF EXISTS readable_collection_ids(uuid, uuid);
DROP FUNCTION IF EXISTS audience_collection_ids(uuid);
ALTER TABLE slack_channel_bindings DROP COLUMN IF EXISTS audience_group_id;
