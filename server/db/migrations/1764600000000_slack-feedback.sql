-- Up Migration
-- Slack users who map to no Tapeout user rate their answers with user_id NULL; one rating per
-- message and user still holds for them.
DROP INDEX feedback_message_user_key;
CREATE UNIQUE INDEX feedback_message_user_key ON feedback (message_id, user_id) NULLS NOT DISTINCT;

-- Down Migration
DROP INDEX feedback_message_user_key;
CREATE UNIQUE INDEX feedback_message_user_key ON feedback (message_id, user_id);
