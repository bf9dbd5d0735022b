package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.NewJob;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The run log: manual triggers and the views {@code GET /kyc/runs} returns. */
final class KycRuns {
  private final Pool pool;
  private final JobQueue queue;
  private final KycConfig cfg;
  private final Clock clock;

  KycRuns(Pool pool, JobQueue queue, KycConfig cfg, Clock clock) {
    this.pool = pool;
    this.queue = queue;
    this.cfg = cfg;
    this.clock = clock;
  }

  /** Records a queued run and enqueues its fan-out job in the same transaction (no run without its job). */
  Future<JsonObject> trigger(String requestedBy) {
    LocalDate today = LocalDate.now(clock);
    return pool.withTransaction(tx -> tx.preparedQuery(KycSql.INSERT_MANUAL_RUN)
            .execute(Tuple.of(requestedBy, cfg.periodOf(today), today, today.plusDays(cfg.dueWithinDays())))
            .compose(rows -> {
              long runId = rows.iterator().next().getLong("id");
              NewJob job = NewJob.of(KycModule.RUN, new JsonObject().put("runId", runId)).owner(requestedBy);
              return queue.enqueue(tx, job).compose(jobId -> tx.preparedQuery(KycSql.SET_RUN_JOB)
                  .execute(Tuple.of(runId, jobId.orElse(null))).map(runId));
            }))
        .compose(this::get).map(Optional::orElseThrow);
  }

  Future<Optional<JsonObject>> get(long id) {
    return pool.preparedQuery(KycSql.GET_RUN).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
  }

  /** Newest first: {@code {"items": [...], "next": cursor|null}}; the cursor is the last id of the page. */
  Future<JsonObject> list(Long before, int size) {
    return pool.preparedQuery(KycSql.LIST_RUNS).execute(Tuple.of(before == null ? Long.MAX_VALUE : before, size + 1))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Long last = null;
          boolean more = false;
          for (Row r : rows) {
            if (items.size() == size) {
              more = true;
              break;
            }
            items.add(view(r));
            last = r.getLong("id");
          }
          return new JsonObject().put("items", items).put("next", more ? String.valueOf(last) : null);
        });
  }

  /**
   * A run: {@code selected} customers, {@code enqueued} new jobs ({@code alreadyQueued} had one this period),
   * the outcomes of those jobs so far (one per customer, however often its job ran; {@code failed} = dead jobs),
   * and {@code outstanding} jobs not finished; {@code completed} once none is.
   */
  static JsonObject view(Row r) {
    long enqueued = r.getLong("enqueued");
    long sent = r.getLong("sent"), skipped = r.getLong("skipped"), nothing = r.getLong("nothing_pending");
    long failed = r.getLong("failed"), review = r.getLong("review");
    long outstanding = Math.max(0, enqueued - sent - skipped - nothing - failed - review);
    String state = r.getString("state");
    boolean completed = state.equals("dispatched") && outstanding == 0;
    OffsetDateTime dispatchedAt = r.getOffsetDateTime("dispatched_at");
    OffsetDateTime lastOutcome = r.getOffsetDateTime("last_outcome_at");
    OffsetDateTime finishedAt = !completed ? null
        : lastOutcome == null || lastOutcome.isBefore(dispatchedAt) ? dispatchedAt : lastOutcome;
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("jobId", r.getLong("job_id"))
        .put("trigger", r.getString("trigger"))
        .put("requestedBy", r.getString("requested_by"))
        .put("period", r.getString("period"))
        .put("dueFrom", r.getLocalDate("day").toString())
        .put("dueUntil", r.getLocalDate("due_until").toString())
        .put("state", completed ? "completed" : state)
        .put("createdAt", str(r.getOffsetDateTime("created_at")))
        .put("startedAt", str(r.getOffsetDateTime("started_at")))
        .put("dispatchedAt", str(dispatchedAt))
        .put("finishedAt", str(finishedAt))
        .put("selected", r.getLong("selected"))
        .put("enqueued", enqueued)
        .put("alreadyQueued", r.getLong("selected") - enqueued)
        .put("sent", sent)
        .put("skipped", skipped)
        .put("nothingPending", nothing)
        .put("failed", failed)
        .put("review", review)
        .put("outstanding", outstanding)
        .put("error", r.getString("error"));
  }

  private static String str(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
