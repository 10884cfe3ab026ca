-- Up Migration

-- Periodic work that several server instances would otherwise each do (the ingestion watchdog,
-- the audit retention) is done by the instance holding its lease; the lease lapses when its
-- holder stops renewing it, and another instance takes it over.
CREATE TABLE scheduler_leases (
  task text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE scheduler_leases;
