-- Up Migration
-- Slack users who map to no Tapeout user rate their answers with user_id NULL; one rating per
-- message and user still holds for them.
DROP INDEX feedback_message_user_key;
CREATE UNIQUE INDEX feedback_message_user_key ON feedback (message_id, user_id) NULLS NOT DISTINCT;

-- Which assistant answers in a Slack channel (set in the admin console).
CREATE TABLE slack_channel_bindings (
  channel_id text PRIMARY KEY CHECK (channel_id ~ '^[A-Z0-9]{2,30}$'),
  channel_name text NOT NULL DEFAULT '',
  assistant_id uuid NOT NULL REFERENCES assistants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS slack_channel_bindings;
DROP INDEX feedback_message_user_key;
CREATE UNIQUE INDEX feedback_message_user_key ON feedback (message_id, user_id);
