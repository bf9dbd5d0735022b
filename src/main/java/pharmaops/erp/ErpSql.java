package pharmaops.erp;

/** Every SQL statement of the ERP sync, parameterised, in one place. */
final class ErpSql {
  private ErpSql() {}

  /** This batch's record wins the row: the row is not an ERP's, or the record's (rank, source) is not after the row's. */
  private static final String WINS = "(b.sync_rank IS NULL OR (EXCLUDED.sync_rank, EXCLUDED.source) <= (b.sync_rank, b.source))";

  private static String pick(String col) {
    return col + " = CASE WHEN " + WINS + " THEN EXCLUDED." + col + " ELSE b." + col + " END";
  }

  private static final String MERGED = "name, active_ingredients, manufacturer, manufacturer_cnpj, category, therapeutic_class, status, presentation, source, sync_rank";

  /**
   * One statement per batch: arrays in, one row per record. Unchanged rows are not rewritten (the WHERE),
   * so the rows returned are exactly the inserted ({@code xmax = 0}) and updated ones. EANs are the sorted
   * union of every source's (order-independent); other fields come from the winning source.
   * Text lists travel joined by U+001F; empty strings stand for NULL. The row key ({@code match_key}) is
   * generated from registration and {@code ean_key}: a record that joins a registered row proposes that
   * registration, so the conflict finds the row.
   */
  static final String UPSERT = "INSERT INTO bula AS b (ean_key, name, active_ingredients, manufacturer, manufacturer_cnpj,"
      + " registration, category, therapeutic_class, status, eans, presentation, source, sync_rank)"
      + " SELECT NULLIF(k, ''), n, string_to_array(ai, chr(31)), NULLIF(m, ''), NULLIF(c, ''), NULLIF(r, ''), NULLIF(cat, ''),"
      + " NULLIF(tc, ''), NULLIF(st, ''), string_to_array(e, chr(31)), NULLIF(p, ''), $12, $13"
      + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
      + " $9::text[], $10::text[], $11::text[]) AS t(k, n, ai, m, c, r, cat, tc, st, e, p)"
      + " ON CONFLICT (match_key) DO UPDATE SET "
      + String.join(", ", pick("name"), pick("active_ingredients"), pick("manufacturer"), pick("manufacturer_cnpj"),
          pick("category"), pick("therapeutic_class"), pick("status"), pick("presentation"), pick("source"), pick("sync_rank"))
      + ", registration = COALESCE(b.registration, EXCLUDED.registration)"
      + ", eans = ARRAY(SELECT DISTINCT x FROM unnest(b.eans || EXCLUDED.eans) AS x ORDER BY x)"
      + ", updated_at = now()"
      + " WHERE (" + WINS + " AND (" + prefixed("b.") + ") IS DISTINCT FROM (" + prefixed("EXCLUDED.") + "))"
      + " OR NOT b.eans @> EXCLUDED.eans"
      + " RETURNING (xmax = 0) AS inserted";

  private static String prefixed(String p) {
    return p + MERGED.replace(", ", ", " + p);
  }

  /** Batch commits need not wait for the disk: the cursor moves later in a synchronous commit, which flushes them too. */
  static final String ASYNC_COMMIT = "SET LOCAL synchronous_commit = off";

  /**
   * For each EAN of a record known only by EAN: the smallest key of a row carrying it (registrations, all digits,
   * sort before 'ean:' keys in C order, as in Java). One GIN probe per EAN, so the cost follows the batch.
   */
  static final String ROW_BY_EAN = "SELECT e, k.match_key FROM unnest($1::text[]) AS e"
      + " CROSS JOIN LATERAL (SELECT b.match_key FROM bula b WHERE b.eans @> ARRAY[e] AND b.match_key IS NOT NULL"
      + " ORDER BY b.match_key COLLATE \"C\" LIMIT 1) AS k";

  /**
   * For each EAN of a registered record: the smallest key of an EAN-only row carrying it (the partial GIN index).
   * Runs for every batch and mostly finds nothing: one scan for the whole batch ({@code &&}) costs a tenth of
   * a probe per EAN (0.03 s instead of 0.2 s per 50,000 records).
   */
  static final String EAN_ONLY_ROW_BY_EAN = "SELECT e, min(b.match_key COLLATE \"C\") AS match_key"
      + " FROM bula b CROSS JOIN LATERAL unnest(b.eans) AS e"
      + " WHERE b.eans && $1::text[] AND b.registration IS NULL AND e = ANY($1::text[]) GROUP BY e";

  /** A registration arrived for a product known so far only by EAN: the row takes the registration as its key. */
  static final String ADOPT = "UPDATE bula SET registration = $2 WHERE match_key = $1 AND registration IS NULL"
      + " AND NOT EXISTS (SELECT 1 FROM bula WHERE match_key = $2)";

  /** An EAN-only row is keyed by the smallest EAN it carries: a record bringing a smaller one moves the key. */
  static final String REKEY = "UPDATE bula SET ean_key = $2 WHERE match_key = $1 AND registration IS NULL"
      + " AND NOT EXISTS (SELECT 1 FROM bula WHERE match_key = 'ean:' || $2)";

  /** In the transaction of a batch that changed rows: the generation must move even if the node dies before the run ends. */
  static final String MARK_DIRTY = "UPDATE erp_source_state SET dirty = true WHERE source = $1 AND NOT dirty";

  static final String QUARANTINE = "INSERT INTO erp_quarantine (source, record_key, reason, raw, run_id)"
      + " SELECT $1, k, r, w, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, r, w)"
      + " ON CONFLICT (source, record_key, reason) DO UPDATE SET raw = EXCLUDED.raw, run_id = EXCLUDED.run_id, last_seen_at = now()";

  // --- runs log, cursors ---

  static final String INSERT_RUN = "INSERT INTO erp_sync_run (trigger, full_sync, sources, requested_by, state)"
      + " VALUES ($1, $2, $3, $4, $5) RETURNING id";

  static final String SET_JOB = "UPDATE erp_sync_run SET job_id = $2 WHERE id = $1";

  /** The run of a scheduled job: created by its first attempt, found again by every retry (one run per job). */
  static final String SCHEDULED_RUN = "INSERT INTO erp_sync_run (trigger, full_sync, sources, job_id, state)"
      + " VALUES ('schedule', $1, $2, $3, 'queued') ON CONFLICT (job_id) DO UPDATE SET job_id = EXCLUDED.job_id RETURNING id";

  /**
   * Starts a queued run, or resumes one whose job is retried (also after it was closed as abandoned: an admin
   * may retry a dead job); nothing when the run has finished.
   */
  static final String START_RUN = "UPDATE erp_sync_run SET state = 'running', started_at = COALESCE(started_at, now()),"
      + " abandoned_at = NULL, error = NULL, finished_at = NULL"
      + " WHERE id = $1 AND (state IN ('queued', 'running') OR abandoned_at IS NOT NULL) RETURNING full_sync, sources";

  /** Only an unfinished run: an execution that outlived its job must not reopen a run closed meanwhile. */
  static final String FINISH_RUN = "UPDATE erp_sync_run SET state = $2, generation = $3, error = $4, finished_at = now()"
      + " WHERE id = $1 AND state IN ('queued', 'running')";

  /** The run's ERPs whose committed changes have not moved the generation yet (and that no other run holds). */
  static final String CLEAR_DIRTY = "UPDATE erp_source_state SET dirty = false WHERE source = ANY($1::text[]) AND dirty"
      + " AND (running_run IS NULL OR running_run = $2) RETURNING source";

  /** Unfinished runs, oldest first, with whether they are older than $1 minutes. */
  static final String UNFINISHED_RUNS = "SELECT id, job_id, created_at < now() - make_interval(mins => $1) AS old"
      + " FROM erp_sync_run WHERE state IN ('queued', 'running') ORDER BY id LIMIT 100";

  static final String ABANDON_RUN = "UPDATE erp_sync_run SET state = 'failed', abandoned_at = now(), finished_at = now(),"
      + " error = $2 WHERE id = $1 AND state IN ('queued', 'running')";

  /** Claims the right to send alert $1 now; no row when it was sent less than $2 seconds ago (by any node). */
  static final String CLAIM_ALERT = "INSERT INTO erp_alert AS a (key, last_sent_at) VALUES ($1, now())"
      + " ON CONFLICT (key) DO UPDATE SET last_sent_at = now() WHERE a.last_sent_at <= now() - make_interval(secs => $2)"
      + " RETURNING key";

  static final String INSERT_OUTCOME = "INSERT INTO erp_sync_outcome (run_id, source, state, fetched, inserted, updated,"
      + " unchanged, quarantined, pages, error, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
      // a retried job runs the same run again: its outcome replaces the first attempt's
      + " ON CONFLICT (run_id, source) DO UPDATE SET state = EXCLUDED.state, fetched = EXCLUDED.fetched,"
      + " inserted = EXCLUDED.inserted, updated = EXCLUDED.updated, unchanged = EXCLUDED.unchanged,"
      + " quarantined = EXCLUDED.quarantined, pages = EXCLUDED.pages, error = EXCLUDED.error,"
      + " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at";

  static final String ENSURE_SOURCE = "INSERT INTO erp_source_state (source) VALUES ($1) ON CONFLICT DO NOTHING";

  /** Claims a source for a run unless another run holds an unexpired lease on it. */
  static final String CLAIM_SOURCE = "UPDATE erp_source_state SET running_run = $2, running_until = now() + make_interval(secs => $3)"
      + " WHERE source = $1 AND (running_run IS NULL OR running_run = $2 OR running_until < now()) RETURNING cursor_at";

  static final String RENEW_SOURCE = "UPDATE erp_source_state SET running_until = now() + make_interval(secs => $3)"
      + " WHERE source = $1 AND running_run = $2";

  /** Releases the claim; on success also moves the cursor (never backwards) and the freshness mark. */
  static final String RELEASE_SOURCE = "UPDATE erp_source_state SET running_run = NULL, running_until = NULL,"
      + " cursor_at = CASE WHEN $3 THEN GREATEST(cursor_at, $4) ELSE cursor_at END,"
      + " last_success_at = CASE WHEN $3 THEN now() ELSE last_success_at END,"
      + " last_full_at = CASE WHEN $3 AND $5 THEN now() ELSE last_full_at END"
      + " WHERE source = $1 AND running_run = $2";

  static final String RUN_COLUMNS = "r.id, r.trigger, r.full_sync, r.sources, r.requested_by, r.job_id, r.state, r.generation,"
      + " r.error, r.created_at, r.started_at, r.finished_at";

  /** Runs newest first, keyset by id. */
  static final String LIST_RUNS = "SELECT " + RUN_COLUMNS + " FROM erp_sync_run r WHERE r.id < $1 ORDER BY r.id DESC LIMIT $2";

  static final String GET_RUN = "SELECT " + RUN_COLUMNS + " FROM erp_sync_run r WHERE r.id = $1";

  static final String OUTCOMES_OF = "SELECT run_id, source, state, fetched, inserted, updated, unchanged, quarantined, pages,"
      + " error, started_at, finished_at FROM erp_sync_outcome WHERE run_id = ANY($1::bigint[]) ORDER BY source";

  /** Per source: its state row and its latest outcome. */
  static final String SOURCES = "SELECT s.source, s.cursor_at, s.last_success_at, s.last_full_at, s.running_run,"
      + " o.run_id, o.state, o.fetched, o.inserted, o.updated, o.unchanged, o.quarantined, o.pages, o.error,"
      + " o.started_at, o.finished_at"
      + " FROM erp_source_state s LEFT JOIN LATERAL (SELECT * FROM erp_sync_outcome x WHERE x.source = s.source"
      + " ORDER BY x.run_id DESC LIMIT 1) o ON true WHERE s.source = ANY($1::text[])";

  /** Sources whose last complete sync is older than the freshness target (or that never completed one). */
  static final String STALE = "SELECT source, last_success_at FROM erp_source_state WHERE source = ANY($1::text[])"
      + " AND COALESCE(last_success_at, created_at) < now() - make_interval(mins => $2)";
}
