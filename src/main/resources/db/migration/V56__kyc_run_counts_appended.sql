-- A run's counters stop being rows that every reminder check updates. 64 shard rows took ~100,000 updates per
-- run: each update waited for the row's lock (held until commit) whenever two connections met on a shard, and
-- walked a HOT chain that pruning could not keep short under constant updates; marking reminders sent cost
-- 5 ms a statement. Now each statement that changes outcomes appends one row of deltas (batched statements: a
-- few thousand rows per 100,000 customers), and a run's figures are their sum (an index range per run).
ALTER TABLE kyc_run_count DROP CONSTRAINT kyc_run_count_pkey;
ALTER TABLE kyc_run_count DROP COLUMN shard;
CREATE INDEX kyc_run_count_run_idx ON kyc_run_count (run_id);
