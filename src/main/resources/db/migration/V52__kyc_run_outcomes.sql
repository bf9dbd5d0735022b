-- KYC: run counts that a job run again after a crash cannot count twice.

-- One outcome per run and customer. A job runs again after a crash (at-least-once), so counting is "set this
-- customer's outcome": a repeat changes nothing, a better-informed retry replaces the earlier outcome (the
-- counters move from the old column to the new one), and 'sent' is never replaced. 'replaced' holds the outcome
-- the last change replaced, which is how one statement knows which counter to take one from.
-- Failed customers have no row: they are the run's dead jobs (see KycSql.RUN_VIEW), whatever ended the last attempt.
CREATE TABLE kyc_run_outcome (
  run_id      bigint      NOT NULL REFERENCES kyc_run (id) ON DELETE CASCADE,
  customer_id bigint      NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('sent', 'skipped', 'nothing_pending', 'review')),
  replaced    text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, customer_id)
);
ALTER TABLE kyc_run_count DROP COLUMN failed;
