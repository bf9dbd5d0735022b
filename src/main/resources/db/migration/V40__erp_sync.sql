-- ERP sync: how ERP records find their catalogue row, which source wins a merge, per-source cursors,
-- the runs log and the quarantine of records that could not be accepted.

-- The key ERP records match on: the registration number when there is one, else 'ean:<EAN>' (ean_key is
-- set by the sync for products it knows only by EAN). Generated, so rows of every writer carry it, at the
-- cost of no trigger.
ALTER TABLE bula ADD COLUMN ean_key text;
ALTER TABLE bula ADD COLUMN match_key text GENERATED ALWAYS AS (COALESCE(registration, 'ean:' || ean_key)) STORED;
-- Precedence of the ERP whose record last won this row (lower wins; NULL = not written by an ERP).
ALTER TABLE bula ADD COLUMN sync_rank integer;
CREATE UNIQUE INDEX bula_match_key_idx ON bula (match_key);

-- One row per configured ERP: the incremental cursor (the ERP's own clock) and who is syncing it now.
CREATE TABLE erp_source_state (
  source          text        PRIMARY KEY,
  cursor_at       timestamptz,                 -- max updated-at seen in the last complete sync
  last_success_at timestamptz,                 -- our clock: end of the last complete sync (freshness)
  last_full_at    timestamptz,
  running_run     bigint,                      -- the run syncing it now, with a lease against crashed nodes
  running_until   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()  -- a source that never synced is stale from here
);

-- One run syncs some ERPs concurrently. It is executed by a job (erp.sync): manual runs are created here
-- first (queued) and then enqueued; scheduled runs are created by their job when it starts.
CREATE TABLE erp_sync_run (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trigger      text        NOT NULL CHECK (trigger IN ('manual', 'schedule')),
  full_sync    boolean     NOT NULL,
  sources      text[]      NOT NULL DEFAULT '{}',   -- requested ERPs; empty = all configured
  requested_by text,
  job_id       bigint,
  state        text        NOT NULL DEFAULT 'queued'
                           CHECK (state IN ('queued', 'running', 'succeeded', 'partial', 'failed')),
  generation   bigint,                              -- catalogue generation after the run, when it changed data
  error        text,                                -- why the run itself could not run (per-ERP errors are in outcomes)
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz
);

CREATE TABLE erp_sync_outcome (
  run_id      bigint      NOT NULL REFERENCES erp_sync_run (id) ON DELETE CASCADE,
  source      text        NOT NULL,
  state       text        NOT NULL CHECK (state IN ('succeeded', 'failed', 'skipped')),
  fetched     integer     NOT NULL DEFAULT 0,
  inserted    integer     NOT NULL DEFAULT 0,
  updated     integer     NOT NULL DEFAULT 0,
  unchanged   integer     NOT NULL DEFAULT 0,
  quarantined integer     NOT NULL DEFAULT 0,
  pages       integer     NOT NULL DEFAULT 0,
  error       text,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, source)
);
CREATE INDEX erp_sync_outcome_source_idx ON erp_sync_outcome (source, run_id DESC);

-- Records that were rejected, with the reason and the record as the ERP sent it. One row per record
-- and reason: a rerun refreshes it instead of piling up copies.
CREATE TABLE erp_quarantine (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source       text        NOT NULL,
  record_key   text        NOT NULL,           -- the ERP's id of the record, else a hash of the raw text
  reason       text        NOT NULL,
  raw          text        NOT NULL,
  run_id       bigint,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, record_key, reason)
);
