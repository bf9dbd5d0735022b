-- ERP sync after crashes and across nodes: one run per job (a retried job finds its run again), runs whose
-- job ended without them are closed, a change committed before a crash still moves the search generation,
-- EAN-only rows are found by any EAN they carry, and alerts are rate-limited once for the whole cluster.

-- Earlier versions created a new run for every attempt of a scheduled job. Keep each job on its newest run
-- and close the older ones: no attempt will ever finish them.
UPDATE erp_sync_run r SET job_id = NULL,
  state = CASE WHEN r.state IN ('queued', 'running') THEN 'failed' ELSE r.state END,
  error = CASE WHEN r.state IN ('queued', 'running') THEN 'abandoned: a retry of its job started another run' ELSE r.error END,
  finished_at = COALESCE(r.finished_at, now())
WHERE r.job_id IS NOT NULL AND r.id < (SELECT max(x.id) FROM erp_sync_run x WHERE x.job_id = r.job_id);
ALTER TABLE erp_sync_run ADD CONSTRAINT erp_sync_run_job_id_key UNIQUE (job_id);
-- When the run was closed (state failed) because its job was over without it; a job retried later resumes it.
ALTER TABLE erp_sync_run ADD COLUMN abandoned_at timestamptz;

-- Set in the transaction of a batch that changed catalogue rows, cleared in the one that moves the catalogue
-- generation: a node that dies in between leaves it set, and the next run of the ERP moves the generation.
ALTER TABLE erp_source_state ADD COLUMN dirty boolean NOT NULL DEFAULT false;

-- EAN-only rows by any EAN they carry, for a registered record to adopt. Partial: most rows are registered.
CREATE INDEX bula_ean_only_eans_idx ON bula USING gin (eans) WITH (fastupdate = off) WHERE registration IS NULL;

-- One row per alert key (kind and ERP): the node that moves last_sent_at sends, the others stay quiet.
CREATE TABLE erp_alert (
  key          text        PRIMARY KEY,
  last_sent_at timestamptz NOT NULL
);
