-- The durable job queue shared by every capability (reports, KYC, ERP sync, scraping).
-- States and their allowed transitions are defined once, in pharmaops.jobs.JobState; the CHECK only
-- keeps out values that table does not know.
CREATE TABLE job (
  id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type             text        NOT NULL,
  payload          jsonb       NOT NULL DEFAULT '{}',
  state            text        NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
  attempts         int         NOT NULL DEFAULT 0,
  run_at           timestamptz NOT NULL DEFAULT now(),       -- not before; a failed job waits here for its retry
  priority         int         NOT NULL DEFAULT 0,           -- higher first
  owner            text,                                     -- token subject; null for system jobs
  progress         int         NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  details          jsonb,                                    -- handler-specific progress (e.g. rowsWritten)
  result           jsonb,
  error            text,
  unique_key       text,
  cancel_requested boolean     NOT NULL DEFAULT false,       -- a running job stops at its next progress()
  locked_by        text,                                     -- worker id holding the lease
  lease_until      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);

-- One live (or succeeded) job per logical key; a dead or cancelled one may be enqueued again.
CREATE UNIQUE INDEX job_unique_key_idx ON job (type, unique_key)
  WHERE unique_key IS NOT NULL AND state NOT IN ('dead', 'cancelled');
-- Claiming: the next due jobs of one type, best first.
CREATE INDEX job_claim_idx ON job (type, priority DESC, run_at, id) WHERE state IN ('queued', 'failed');
-- Reaping expired leases.
CREATE INDEX job_lease_idx ON job (lease_until) WHERE state = 'running';
-- Admin listings and per-owner listings (reports), newest first.
CREATE INDEX job_state_idx ON job (state, id);
CREATE INDEX job_owner_idx ON job (owner, type, id) WHERE owner IS NOT NULL;
