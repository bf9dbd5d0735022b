-- Every reminder check writes rows that named their run through a foreign key (kyc_run_outcome, kyc_run_count,
-- kyc_reminder.run_id). Each such write takes a KEY SHARE lock on the one kyc_run row of the run, so thousands of
-- concurrent checks made PostgreSQL create a multixact per write for that single row: 11 % of a fan-out's
-- throughput (1,221 -> 1,357 jobs/s on 2 cores). Runs are never deleted, and these rows are only written by the
-- run's own jobs, so the constraints guarded nothing the code can break.
ALTER TABLE kyc_run_outcome DROP CONSTRAINT IF EXISTS kyc_run_outcome_run_id_fkey;
ALTER TABLE kyc_run_count DROP CONSTRAINT IF EXISTS kyc_run_count_run_id_fkey;
ALTER TABLE kyc_reminder DROP CONSTRAINT IF EXISTS kyc_reminder_run_id_fkey;
