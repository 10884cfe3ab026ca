-- Up Migration

-- Slack delivers an event again when it got no 200 within 3 seconds (X-Slack-Retry-Num), and
-- behind a load balancer the retry can reach another server instance: each event id is recorded
-- here, in the database every instance shares, and answered by the one that recorded it first.
-- Slack retries for minutes; a day of ids is kept.
CREATE TABLE slack_event_receipts (
  event_id text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_event_receipts_received_at_idx ON slack_event_receipts (received_at);

-- Down Migration
DROP TABLE slack_event_receipts;
