package pharmaops.jobs;

/**
 * Every statement of the job engine. Channel of the wake-up NOTIFY: {@link #CHANNEL}, payload = job type.
 * Batch updates (outcomes, heartbeats, releases) first lock their rows in id order (the {@code locked} CTE):
 * they run on different connections for the same rows, and two statements locking them in different orders
 * deadlock.
 */
final class JobsSql {
  static final String CHANNEL = "jobs_new";

  /** The columns of a job event, for RETURNING clauses. */
  private static final String EVENT_COLS = " j.id, j.type, j.state, j.progress, j.attempts, j.owner, j.details, j.error";

  // The NOTIFY goes out at commit, so a job enqueued in a caller's transaction wakes workers only once it exists.
  static final String ENQUEUE = """
      WITH ins AS (
        INSERT INTO job (type, payload, unique_key, owner, priority, run_at)
        VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))
        ON CONFLICT DO NOTHING
        RETURNING id, type)
      SELECT ins.id FROM ins LEFT JOIN LATERAL (SELECT pg_notify('jobs_new', ins.type)) n ON true""";

  /** Without the NOTIFY, which then follows on its own (see PgJobQueue). */
  static final String ENQUEUE_QUIET = """
      INSERT INTO job (type, payload, unique_key, owner, priority, run_at)
      VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))
      ON CONFLICT DO NOTHING
      RETURNING id""";

  static final String ENQUEUE_ALL = """
      WITH ins AS (
        INSERT INTO job (type, payload, unique_key, owner, priority, run_at)
        SELECT t, p::jsonb, k, o, pr, coalesce(r, now())
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[]) AS u(t, p, k, o, pr, r)
        ON CONFLICT DO NOTHING
        RETURNING type)
      SELECT (SELECT count(*) FROM ins)::int AS n,
             (SELECT count(*) FROM (SELECT pg_notify('jobs_new', d.type) FROM (SELECT DISTINCT type FROM ins) d) x) AS notified""";

  static final String CLAIM = """
      WITH c AS (
        SELECT id FROM job
        WHERE type = $1 AND state IN ('queued', 'failed') AND run_at <= now()
        ORDER BY priority DESC, run_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
      UPDATE job j SET state = 'running', attempts = j.attempts + 1, locked_by = $3,
        lease_until = now() + make_interval(secs => $4), started_at = now(), updated_at = now(),
        progress = 0, details = NULL
      FROM c WHERE j.id = c.id
      RETURNING j.id, j.type, j.payload, j.attempts, j.owner, j.cancel_requested,
        extract(epoch FROM now() - j.run_at)::float8 AS waited""";

  /**
   * Records a batch of attempt outcomes. A failure of a job whose cancellation was requested ends it as
   * cancelled, never as a retry. Guards on the attempt and lease holder, so an outcome of a worker that lost
   * its lease (and whose job was re-claimed) is ignored.
   */
  static final String COMPLETE = """
      WITH locked AS MATERIALIZED (SELECT id FROM job WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE)
      UPDATE job j SET
        state = CASE WHEN v.state <> 'succeeded' AND j.cancel_requested THEN 'cancelled' ELSE v.state END,
        result = coalesce(v.result::jsonb, j.result), error = v.error,
        details = coalesce(v.details::jsonb, j.details),
        progress = CASE WHEN v.state = 'succeeded' THEN 100 ELSE j.progress END,
        run_at = CASE WHEN v.delay_ms IS NULL THEN j.run_at ELSE now() + v.delay_ms * interval '1 millisecond' END,
        locked_by = NULL, lease_until = NULL, updated_at = now(),
        finished_at = CASE WHEN v.state IN ('succeeded', 'dead') OR j.cancel_requested THEN now() END
      FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
        AS v(id, attempts, state, result, error, details, delay_ms), locked l
      WHERE j.id = v.id AND l.id = j.id AND j.attempts = v.attempts AND j.locked_by = $8 AND j.state = 'running'
      RETURNING """ + EVENT_COLS;

  static final String PROGRESS = """
      UPDATE job SET progress = $2, details = $3, lease_until = now() + make_interval(secs => $6), updated_at = now()
      WHERE id = $1 AND locked_by = $4 AND attempts = $5 AND state = 'running'
      RETURNING cancel_requested""";

  static final String HEARTBEAT = """
      WITH locked AS MATERIALIZED (SELECT id FROM job WHERE id = ANY($1) ORDER BY id FOR UPDATE)
      UPDATE job j SET lease_until = now() + make_interval(secs => $3)
      FROM locked l WHERE j.id = l.id AND j.locked_by = $2 AND j.state = 'running'
      RETURNING j.id, j.cancel_requested""";

  /** Jobs whose worker died go back to the queue (or end, when cancelled meanwhile). */
  static final String REAP = """
      UPDATE job j SET state = CASE WHEN j.cancel_requested THEN 'cancelled' ELSE 'queued' END,
        finished_at = CASE WHEN j.cancel_requested THEN now() END,
        error = 'lease expired (worker ' || coalesce(j.locked_by, '?') || ' lost)',
        locked_by = NULL, lease_until = NULL, updated_at = now()
      WHERE j.id IN (SELECT id FROM job WHERE state = 'running' AND lease_until < now() LIMIT 1000 FOR UPDATE SKIP LOCKED)
      RETURNING """ + EVENT_COLS;

  /**
   * Retention: finished jobs older than $1 hours, and schedule ticks older than a day (their work is logged by
   * their capability: sync runs, KYC runs, scraping runs), in bounded batches so no lock is held for long.
   */
  static final String PURGE = """
      DELETE FROM job WHERE id IN (
        SELECT id FROM job WHERE state IN ('succeeded', 'cancelled')
          AND (finished_at < now() - make_interval(hours => $1)
               OR (unique_key LIKE 'schedule:%' AND finished_at < now() - interval '1 day'))
        LIMIT 10000)""";

  /**
   * Graceful stop: unfinished jobs go back to the queue without using up an attempt, and (like an enqueue) wake
   * the other nodes' workers at commit rather than at their next poll.
   */
  static final String RELEASE = """
      WITH locked AS MATERIALIZED (SELECT id FROM job WHERE id = ANY($1) ORDER BY id FOR UPDATE),
      rel AS (
        UPDATE job j SET state = CASE WHEN j.cancel_requested THEN 'cancelled' ELSE 'queued' END,
          finished_at = CASE WHEN j.cancel_requested THEN now() END,
          attempts = CASE WHEN j.cancel_requested THEN j.attempts ELSE j.attempts - 1 END,
          locked_by = NULL, lease_until = NULL, updated_at = now()
        FROM locked l WHERE j.id = l.id AND j.locked_by = $2 AND j.state = 'running'
        RETURNING""" + EVENT_COLS + """
      ),
      n AS (SELECT pg_notify('jobs_new', d.type) FROM (SELECT DISTINCT type FROM rel WHERE state = 'queued') d)
      SELECT rel.*, (SELECT count(*) FROM n) AS notified FROM rel""";

  /** Queued and failed jobs end at once; running ones are flagged and stop at their next progress(). */
  static final String CANCEL = """
      UPDATE job j SET cancel_requested = true, updated_at = now(),
        state = CASE WHEN j.state = 'running' THEN j.state ELSE 'cancelled' END,
        finished_at = CASE WHEN j.state = 'running' THEN NULL ELSE now() END
      WHERE j.id = $1 AND j.state = ANY($2)
      RETURNING """ + EVENT_COLS;

  static final String RETRY = """
      UPDATE job j SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL, cancel_requested = false,
        progress = 0, updated_at = now()
      WHERE j.id = $1 AND j.state = ANY($2)
      RETURNING """ + EVENT_COLS;

  /** Keys the result already has win: a mark such as a report's {@code deletedAt} keeps its first value. */
  static final String ANNOTATE_RESULT = """
      UPDATE job SET result = $2::jsonb || coalesce(result, '{}'::jsonb), updated_at = now()
      WHERE id = $1 AND state = 'succeeded'""";

  static final String NOTIFY = "SELECT 1 FROM (SELECT pg_notify('jobs_new', $1)) n";

  static final String GET = "SELECT * FROM job WHERE id = $1";

  static final String LIST = """
      SELECT * FROM job
      WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR type = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4""";

  static final String LIST_OWNED = """
      SELECT * FROM job WHERE owner = $1 AND type = $2 AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4""";

  static final String STATS = """
      SELECT type,
        count(*) FILTER (WHERE state IN ('queued', 'failed'))::int AS queued,
        count(*) FILTER (WHERE state = 'running')::int AS running,
        count(*) FILTER (WHERE state = 'dead')::int AS dead,
        coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE state IN ('queued', 'failed') AND run_at <= now())), 0)::float8
          AS oldest_queued_seconds
      FROM job WHERE state IN ('queued', 'failed', 'running', 'dead')
      GROUP BY type ORDER BY type""";

  private JobsSql() {}
}
