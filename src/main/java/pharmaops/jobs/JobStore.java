package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Reads and admin changes of jobs, shared by the admin API and capabilities that expose their own jobs
 * (reports). Views are JSON: {@code {id, type, state, priority, attempts, owner, progress, details, result,
 * error, payload, uniqueKey, cancelRequested, runAt, createdAt, startedAt, finishedAt, lockedBy, leaseUntil}}.
 */
public final class JobStore {
  /** Outcome of an admin change: the job's event when it changed, or why not. */
  public sealed interface Change {
    record Done(JsonObject event) implements Change {}

    record NotFound() implements Change {}

    record WrongState(String state) implements Change {}

    record Duplicate() implements Change {}
  }

  private final Vertx vertx;
  private final Pool pool;

  public JobStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public Future<Optional<JsonObject>> get(long id) {
    return pool.preparedQuery(JobsSql.GET).execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
  }

  /** Newest first; {@code next} is the cursor of the following page or null. */
  public Future<JsonObject> list(String state, String type, Long before, int limit) {
    return pool.preparedQuery(JobsSql.LIST).execute(Tuple.of(state, type, before, limit + 1)).map(rows -> page(rows, limit));
  }

  public Future<JsonObject> listOwned(String owner, String type, Long before, int limit) {
    return pool.preparedQuery(JobsSql.LIST_OWNED).execute(Tuple.of(owner, type, before, limit + 1)).map(rows -> page(rows, limit));
  }

  public Future<JsonArray> stats() {
    return pool.query(JobsSql.STATS).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("type", r.getString("type")).put("queued", r.getInteger("queued"))
            .put("running", r.getInteger("running")).put("dead", r.getInteger("dead"))
            .put("oldestQueuedSeconds", Math.round(r.getDouble("oldest_queued_seconds") * 1000) / 1000.0));
      }
      return out;
    });
  }

  /** Queued or failed jobs end now; a running one is flagged, told through the event bus, and stops at its next progress(). */
  public Future<Change> cancel(long id) {
    return change(JobsSql.CANCEL, id, JobState.CANCELLED).onSuccess(c -> {
      if (c instanceof Change.Done d) {
        if ("running".equals(d.event().getString("state"))) vertx.eventBus().publish(JobEvent.CANCEL, id);
        else JobEvent.publish(vertx, d.event());
      }
    });
  }

  /** A dead job goes back to the queue with its attempts reset. */
  public Future<Change> retry(long id) {
    return change(JobsSql.RETRY, id, JobState.QUEUED).compose(c -> {
      if (!(c instanceof Change.Done d)) return Future.succeededFuture(c);
      JobEvent.publish(vertx, d.event());
      return pool.preparedQuery(JobsSql.NOTIFY).execute(Tuple.of(d.event().getString("type"))).map(c);
    });
  }

  /**
   * Adds {@code fields} to a succeeded job's result, for a capability's own bookkeeping (a report's file deleted);
   * keys the result already has keep their value. False when there is no succeeded job {@code id}.
   */
  public Future<Boolean> annotateResult(long id, JsonObject fields) {
    return pool.preparedQuery(JobsSql.ANNOTATE_RESULT).execute(Tuple.of(id, fields)).map(rows -> rows.rowCount() == 1);
  }

  private Future<Change> change(String sql, long id, JobState to) {
    String[] from = JobState.sources(to);
    if (to == JobState.QUEUED) from = new String[] {JobState.DEAD.wire()}; // RUNNING -> QUEUED is the engine's alone
    return pool.preparedQuery(sql).execute(Tuple.of(id, (Object) from)).<Change>map(rows -> {
          if (rows.rowCount() == 0) return null;
          return new Change.Done(JobEvent.of(rows.iterator().next()));
        })
        .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.succeededFuture(new Change.Duplicate()) : Future.failedFuture(e))
        .compose(c -> c != null ? Future.succeededFuture(c) : get(id).map(j -> j.<Change>map(v ->
            new Change.WrongState(v.getString("state"))).orElse(new Change.NotFound())));
  }

  private static JsonObject page(io.vertx.sqlclient.RowSet<Row> rows, int limit) {
    JsonArray items = new JsonArray();
    Long last = null;
    int i = 0;
    for (Row r : rows) {
      if (i++ == limit) break;
      items.add(view(r));
      last = r.getLong("id");
    }
    return new JsonObject().put("items", items).put("next", rows.rowCount() > limit && last != null ? String.valueOf(last) : null);
  }

  static JsonObject view(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("type", r.getString("type")).put("state", r.getString("state"))
        .put("priority", r.getInteger("priority")).put("attempts", r.getInteger("attempts")).put("owner", r.getString("owner"))
        .put("progress", r.getInteger("progress")).put("details", r.getValue("details")).put("result", r.getValue("result"))
        .put("error", r.getString("error")).put("payload", r.getValue("payload")).put("uniqueKey", r.getString("unique_key"))
        .put("cancelRequested", r.getBoolean("cancel_requested"))
        .put("runAt", iso(r.getOffsetDateTime("run_at"))).put("createdAt", iso(r.getOffsetDateTime("created_at")))
        .put("startedAt", iso(r.getOffsetDateTime("started_at"))).put("finishedAt", iso(r.getOffsetDateTime("finished_at")))
        .put("lockedBy", r.getString("locked_by")).put("leaseUntil", iso(r.getOffsetDateTime("lease_until")));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
