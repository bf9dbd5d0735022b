package pharmaops.kyc;

/** The SQL of the KYC capability, in one place. */
final class KycSql {
  private KycSql() {}

  /**
   * One page of the selection: walks the next {@code $6} due-date index entries after the cursor ($4, $5) within
   * [$1, $2] and keeps the customers that are verified, in a status of $3, have a verification request and are not
   * disabled sub-accounts. Returns one row: the eligible ids, how many entries were walked and the cursor to resume
   * from (the last entry walked, eligible or not), so every page costs the same and a run never re-reads a page.
   * The LATERAL ... OFFSET 0 keeps the customer check a per-id index probe: a page is a few thousand ids, and a
   * hash join would read the whole customer table for them.
   */
  static final String SELECT_PAGE = """
      WITH chunk AS (
        SELECT a.customer_id, kyc_due_date(a.key, a.value) AS due
        FROM kyc_customer_attribute a
        WHERE kyc_due_date(a.key, a.value) BETWEEN $1 AND $2
          AND (kyc_due_date(a.key, a.value), a.customer_id) > ($4, $5)
        ORDER BY 2, 1
        LIMIT $6
      ), eligible AS (
        SELECT ch.customer_id, ch.due
        FROM chunk ch
        CROSS JOIN LATERAL (SELECT c.id, c.parent_id FROM kyc_customer c
                            WHERE c.id = ch.customer_id AND c.verified AND c.status = ANY ($3) OFFSET 0) c
        WHERE EXISTS (SELECT 1 FROM kyc_customer_attribute r
                      WHERE r.customer_id = c.id AND r.key = 'verification_requested' AND r.value = 'true')
          AND (c.parent_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM kyc_customer_attribute d
                              WHERE d.customer_id = c.id AND d.key = 'disabled_subaccount' AND d.value = 'true'))
      ), last AS (
        SELECT due, customer_id FROM chunk ORDER BY due DESC, customer_id DESC LIMIT 1
      )
      SELECT (SELECT coalesce(array_agg(customer_id ORDER BY due, customer_id), '{}') FROM eligible) AS ids,
             (SELECT count(*) FROM chunk) AS walked, last.due AS last_due, last.customer_id AS last_id
      FROM (SELECT 1) one LEFT JOIN last ON true""";

  // --- one customer's check (reminder ledger) ---

  /**
   * The CTEs {@code changed} and {@code counted}, which set customers' outcomes in their runs and append the
   * changes to the runs' counters (one row of deltas per run and statement, V56) only when an outcome changed.
   * {@code source} yields (run_id, customer_id, outcome) rows, a customer at most once. A repeat (a job run again
   * after a crash) finds the same outcome and counts nothing; 'sent' is final. The upsert locks the outcome row
   * and compares with its latest version, so two attempts at once cannot both count.
   */
  private static String outcome(String source) {
    return """
        changed AS (
          INSERT INTO kyc_run_outcome AS o (run_id, customer_id, outcome) SOURCE
          ON CONFLICT (run_id, customer_id) DO UPDATE SET outcome = EXCLUDED.outcome, replaced = o.outcome, updated_at = now()
            WHERE o.outcome <> EXCLUDED.outcome AND o.outcome <> 'sent'
          RETURNING run_id, customer_id, outcome, replaced),
        counted AS (
          INSERT INTO kyc_run_count (run_id, sent, skipped, nothing_pending, review)
          SELECT run_id,
                 sum((outcome = 'sent')::int - (replaced IS NOT DISTINCT FROM 'sent')::int),
                 sum((outcome = 'skipped')::int - (replaced IS NOT DISTINCT FROM 'skipped')::int),
                 sum((outcome = 'nothing_pending')::int - (replaced IS NOT DISTINCT FROM 'nothing_pending')::int),
                 sum((outcome = 'review')::int - (replaced IS NOT DISTINCT FROM 'review')::int)
          FROM changed GROUP BY run_id
          RETURNING 1)
        """.replace("SOURCE", source);
  }

  /** $1 run, $2 customer, $3 outcome: sets the customer's outcome in the run (see {@link #outcome}). */
  static final String SET_OUTCOME = "WITH " + outcome("VALUES ($1, $2, $3)") + "SELECT count(*) FROM changed";

  /**
   * The checks of several customers (each at most once) in one statement: loads each one's pending documents
   * (kyc_pending_documents, V51: a required kind with no row counts as missing) and, when something is pending,
   * claims the ledger row {@code (customer, period)} as 'sending' (committed before anything leaves; only the
   * attempt whose insert created the row may send); when nothing is (or the customer is gone), sets that outcome in
   * the run. $1 customers, $2 periods, $3 runs (null elements outside a run), $4 idempotency keys, $5 channel. One
   * row per customer: customer_id, email and name (null when the customer is gone), pending, claimed.
   * A statement that claimed a reminder commits synchronously (a claim must survive a crash of the database before
   * the message leaves); one that only recorded outcomes commits without waiting for the disk: lost in a crash of
   * the database, its jobs run again and record them again.
   */
  static final String CHECK = """
      WITH req AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) AS r(customer_id, period, run_id, key)),
      c AS (SELECT r.customer_id, r.period, r.run_id, r.key, k.email, k.name,
                   CASE WHEN k.id IS NOT NULL THEN kyc_pending_documents(k.id) END AS pending
            FROM req r LEFT JOIN kyc_customer k ON k.id = r.customer_id),
      claim AS (
        INSERT INTO kyc_reminder (customer_id, period, run_id, state, channel, idempotency_key, documents)
        SELECT customer_id, period, run_id, 'sending', $5, key, pending FROM c WHERE cardinality(pending) > 0
        ON CONFLICT (customer_id, period) DO NOTHING RETURNING customer_id),
      """ + outcome("""
          SELECT run_id, customer_id, 'nothing_pending' FROM c
          WHERE run_id IS NOT NULL AND coalesce(cardinality(pending), 0) = 0""") + """
      , durability AS (SELECT set_config('synchronous_commit', CASE WHEN EXISTS (SELECT 1 FROM claim) THEN 'on' ELSE 'off' END, true))
      SELECT c.customer_id, c.email, c.name, c.pending, c.customer_id IN (SELECT customer_id FROM claim) AS claimed
      FROM c, durability""";

  /** in_flight: claimed less than $3 ms ago, so the attempt that claimed it may still be sending. */
  static final String LEDGER_STATE = """
      SELECT state, run_id, claimed_at > now() - make_interval(secs => $3 / 1000.0) AS in_flight
      FROM kyc_reminder WHERE customer_id = $1 AND period = $2""";

  /**
   * Marks reminders sent and sets the outcomes in their runs in one statement: 'sent' when this marked it,
   * 'skipped' when it was sent already. From 'review' too: a slow attempt that delivered after another marked it
   * unknown is still a delivery. $1 runs (null elements outside a run), $2 customers (each at most once), $3
   * periods. One row per customer: customer_id, marked.
   * Commits without waiting for the disk (half of this statement's time went into WAL flushes): a mark lost in a
   * crash of the database leaves the row 'sending', which the job's retry treats as any unknown outcome (resent
   * with the same key over the webhook, left for review over SMTP): never a second message.
   */
  static final String MARK_SENT = """
      WITH req AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS r(run_id, customer_id, period)),
      m AS (UPDATE kyc_reminder k SET state = 'sent', sent_at = now() FROM req
            WHERE k.customer_id = req.customer_id AND k.period = req.period AND k.state <> 'sent' RETURNING k.customer_id),
      """ + outcome("""
          SELECT run_id, customer_id, CASE WHEN customer_id IN (SELECT customer_id FROM m) THEN 'sent' ELSE 'skipped' END
          FROM req WHERE run_id IS NOT NULL""") + """
      , durability AS (SELECT set_config('synchronous_commit', 'off', true))
      SELECT req.customer_id, req.customer_id IN (SELECT customer_id FROM m) AS marked FROM req, durability""";

  /** The channel certainly did not take the message: drop the claim so the retry can claim again. */
  static final String RELEASE = "DELETE FROM kyc_reminder WHERE customer_id = $1 AND period = $2 AND state = 'sending'";

  /** The outcome is unknown (see Reminders): 'review' for a person, counted as such. $1 run (or null), $2 customer, $3 period. */
  static final String MARK_REVIEW = """
      WITH m AS (UPDATE kyc_reminder SET state = 'review'
                 WHERE customer_id = $2 AND period = $3 AND state = 'sending' RETURNING 1),
      """ + outcome("SELECT $1::bigint, $2::bigint, 'review' FROM m WHERE $1::bigint IS NOT NULL") + """
      SELECT EXISTS (SELECT 1 FROM m) AS marked""";

  // --- rows left for review (unknown SMTP outcome) ---

  /** Oldest first; $1 = the last id of the previous page (keyset), $2 = page size. */
  static final String LIST_REVIEWS = """
      SELECT m.id, m.customer_id, c.email, c.name, m.period, m.run_id, m.channel, m.idempotency_key, m.documents,
             m.claimed_at
      FROM kyc_reminder m JOIN kyc_customer c ON c.id = m.customer_id
      WHERE m.state = 'review' AND m.id > $1 ORDER BY m.id LIMIT $2""";

  /** A person checked that the message arrived: the row becomes an ordinary 'sent' one. */
  static final String RESOLVE_SENT = """
      UPDATE kyc_reminder SET state = 'sent', sent_at = now(), resolved_by = $2 WHERE id = $1 AND state = 'review'
      RETURNING customer_id, period, run_id""";

  /** A person decided it did not arrive: without the row, the resend job's claim succeeds and sends once more. */
  static final String RESOLVE_RESEND = """
      DELETE FROM kyc_reminder WHERE id = $1 AND state = 'review' RETURNING customer_id, period, run_id""";

  static final String REMINDER_STATE = "SELECT state FROM kyc_reminder WHERE id = $1";

  // --- the run log ---

  static final String INSERT_MANUAL_RUN = """
      INSERT INTO kyc_run (trigger, requested_by, period, day, due_until, state)
      VALUES ('manual', $1, $2, $3, $4, 'queued') RETURNING id""";

  static final String SET_RUN_JOB = "UPDATE kyc_run SET job_id = $2 WHERE id = $1";

  /** A scheduled run's row is created by its job; a retry of that job finds it (and its cursor) again. */
  static final String START_SCHEDULED_RUN = """
      INSERT INTO kyc_run (job_id, trigger, period, day, due_until, state, started_at)
      VALUES ($1, 'schedule', $2, $3, $4, 'selecting', now())
      ON CONFLICT (job_id) DO UPDATE SET state = 'selecting', error = NULL
      RETURNING id, period, day, due_until, cursor_due, cursor_id""";

  static final String START_MANUAL_RUN = """
      UPDATE kyc_run SET state = 'selecting', started_at = coalesce(started_at, now()), error = NULL
      WHERE id = $1 RETURNING id, period, day, due_until, cursor_due, cursor_id""";

  /** In the transaction that enqueues the page's jobs: a retried fan-out resumes after the last committed page. */
  static final String PAGE_DONE = """
      UPDATE kyc_run SET selected = selected + $2, enqueued = enqueued + $3, cursor_due = $4, cursor_id = $5
      WHERE id = $1""";

  static final String DISPATCHED = "UPDATE kyc_run SET state = 'dispatched', dispatched_at = now() WHERE id = $1";

  static final String RUN_FAILED = "UPDATE kyc_run SET state = 'failed', error = $2 WHERE id = $1";

  /**
   * A run with its counters. {@code failed} is not counted by the jobs: it is the run's dead reminder jobs that
   * set no outcome, read from the job table, so it holds however the last attempt ended (the handler failing,
   * a timeout, a lost lease, attempts used up by dying workers) and drops again when an admin retries the job.
   */
  private static final String RUN_VIEW = """
      SELECT r.id, r.job_id, r.trigger, r.requested_by, r.period, r.day, r.due_until, r.state, r.created_at,
             r.started_at, r.dispatched_at, r.selected, r.enqueued, r.error,
             coalesce(c.sent, 0) AS sent, coalesce(c.skipped, 0) AS skipped,
             coalesce(c.nothing_pending, 0) AS nothing_pending, coalesce(c.review, 0) AS review,
             f.failed, greatest(c.last_at, f.last_at) AS last_outcome_at
      FROM kyc_run r
      LEFT JOIN LATERAL (SELECT sum(k.sent) AS sent, sum(k.skipped) AS skipped, sum(k.nothing_pending) AS nothing_pending,
                                sum(k.review) AS review, max(k.updated_at) AS last_at
                         FROM kyc_run_count k WHERE k.run_id = r.id) c ON true
      LEFT JOIN LATERAL (SELECT count(*) AS failed, max(j.finished_at) AS last_at
                         FROM job j
                         WHERE j.state = 'dead' AND j.type = 'kyc.remind' AND j.payload->>'runId' = r.id::text
                           AND NOT EXISTS (SELECT 1 FROM kyc_run_outcome o
                                           WHERE o.run_id = r.id AND o.customer_id = (j.payload->>'customerId')::bigint)) f ON true
      """;

  /** Newest first; $1 = the last id of the previous page (keyset), $2 = page size. */
  static final String LIST_RUNS = RUN_VIEW + "WHERE r.id < $1 ORDER BY r.id DESC LIMIT $2";

  static final String GET_RUN = RUN_VIEW + "WHERE r.id = $1";
}
