package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import pharmaops.search.CatalogueEvents;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runs log, the per-source cursors and claims, as PostgreSQL sees them. */
public final class SyncStore {
  private final Pool pool;

  /** A source claimed for a run, with the cursor to continue from (null: never completed a sync). */
  record Claim(boolean claimed, Instant cursor) {}

  public SyncStore(Pool pool) {
    this.pool = pool;
  }

  /** A new run (queued for a job, or already running when its job creates it); returns its id. */
  public Future<Long> createRun(String trigger, boolean full, List<String> sources, String requestedBy, boolean running) {
    return pool.preparedQuery(ErpSql.INSERT_RUN)
        .execute(Tuple.of(trigger, full, sources.toArray(String[]::new), requestedBy, running ? "running" : "queued"))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** The run of scheduled job {@code jobId}: created by its first attempt, the same run for every retry. */
  Future<Long> scheduledRun(long jobId, boolean full, List<String> sources) {
    return pool.preparedQuery(ErpSql.SCHEDULED_RUN).execute(Tuple.of(full, sources.toArray(String[]::new), jobId))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  public Future<Void> setJob(long runId, long jobId) {
    return pool.preparedQuery(ErpSql.SET_JOB).execute(Tuple.of(runId, jobId)).mapEmpty();
  }

  /** Marks the run running; empty when it has finished already (a job retried after the run completed). */
  Future<Optional<SyncRunner.Request>> startRun(long runId) {
    return pool.preparedQuery(ErpSql.START_RUN).execute(Tuple.of(runId)).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row r = rows.iterator().next();
      return Optional.of(new SyncRunner.Request(r.getBoolean("full_sync"), List.of(r.getArrayOfStrings("sources"))));
    });
  }

  /** A run that could not run at all (its job could not be enqueued, or no ERP of it exists any more). */
  public Future<Void> failRun(long runId, String error) {
    return pool.preparedQuery(ErpSql.FINISH_RUN).execute(Tuple.of(runId, "failed", null, error)).mapEmpty();
  }

  Future<Claim> claim(String source, long runId, int leaseSeconds) {
    return pool.preparedQuery(ErpSql.ENSURE_SOURCE).execute(Tuple.of(source))
        .compose(v -> pool.preparedQuery(ErpSql.CLAIM_SOURCE).execute(Tuple.of(source, runId, (double) leaseSeconds)))
        .map(rows -> {
          if (rows.size() == 0) return new Claim(false, null);
          OffsetDateTime c = rows.iterator().next().getOffsetDateTime("cursor_at");
          return new Claim(true, c == null ? null : c.toInstant());
        });
  }

  Future<Void> renew(String source, long runId, int leaseSeconds) {
    return pool.preparedQuery(ErpSql.RENEW_SOURCE).execute(Tuple.of(source, runId, (double) leaseSeconds)).mapEmpty();
  }

  /** Ends the claim; a complete sync moves the cursor to the newest change it saw. */
  Future<Void> release(String source, long runId, Outcome o, boolean full) {
    OffsetDateTime cursor = o.maxUpdatedAt() == null ? null : o.maxUpdatedAt().atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(ErpSql.RELEASE_SOURCE).execute(Tuple.of(source, runId, o.succeeded(), cursor, full)).mapEmpty();
  }

  /** Records the outcome (a retried run's replaces the first attempt's); completes with it. */
  Future<Outcome> saveOutcome(long runId, Outcome o) {
    return pool.preparedQuery(ErpSql.INSERT_OUTCOME).execute(Tuple.tuple().addLong(runId).addString(o.source())
        .addString(o.state()).addInteger(o.fetched()).addInteger(o.inserted()).addInteger(o.updated())
        .addInteger(o.unchanged()).addInteger(o.quarantined()).addInteger(o.pages()).addString(o.error())
        .addOffsetDateTime(o.startedAt().atOffset(ZoneOffset.UTC)).addOffsetDateTime(o.finishedAt().atOffset(ZoneOffset.UTC)))
        .map(r -> o);
  }

  /**
   * Closes the run. When it changed the catalogue, or an earlier attempt committed changes of its ERPs without
   * moving the generation (the node died), the generation moves in the same transaction; the caller publishes
   * it after the commit. Returns the new generation, or null when nothing changed.
   */
  Future<Long> finishRun(long runId, String state, String error, boolean changed, List<String> sources) {
    return pool.withTransaction(tx -> tx.preparedQuery(ErpSql.CLEAR_DIRTY).execute(Tuple.of(sources.toArray(String[]::new), runId))
            .compose(dirty -> changed || dirty.size() > 0 ? CatalogueEvents.bump(tx) : Future.<Long>succeededFuture(null))
            .compose(gen -> tx.preparedQuery(ErpSql.FINISH_RUN).execute(Tuple.of(runId, state, gen, error)).map(r -> gen)));
  }

  /** An unfinished run and its job (null for a manual run that never got one); {@code old}: created long ago. */
  record Unfinished(long id, Long jobId, boolean old) {}

  Future<List<Unfinished>> unfinished(int oldMinutes) {
    return pool.preparedQuery(ErpSql.UNFINISHED_RUNS).execute(Tuple.of(oldMinutes)).map(rows -> {
      List<Unfinished> out = new ArrayList<>();
      for (Row r : rows) out.add(new Unfinished(r.getLong("id"), r.getLong("job_id"), r.getBoolean("old")));
      return out;
    });
  }

  /** Closes a run nobody will finish (state failed, marked abandoned); false when it had finished meanwhile. */
  Future<Boolean> abandon(long runId, String why) {
    return pool.preparedQuery(ErpSql.ABANDON_RUN).execute(Tuple.of(runId, "abandoned: " + why)).map(r -> r.rowCount() > 0);
  }

  /** Runs newest first: {@code {"items": [run], "next": id|null}}. */
  public Future<JsonObject> listRuns(long before, int limit) {
    return pool.preparedQuery(ErpSql.LIST_RUNS).execute(Tuple.of(before, limit + 1)).compose(rows -> withOutcomes(rows))
        .map(runs -> {
          Long next = null;
          if (runs.size() > limit) {
            runs = runs.subList(0, limit);
            next = runs.get(limit - 1).getLong("id");
          }
          return new JsonObject().put("items", new JsonArray(runs)).put("next", next == null ? null : next.toString());
        });
  }

  public Future<Optional<JsonObject>> getRun(long id) {
    return pool.preparedQuery(ErpSql.GET_RUN).execute(Tuple.of(id)).compose(this::withOutcomes)
        .map(runs -> runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0)));
  }

  private Future<List<JsonObject>> withOutcomes(RowSet<Row> rows) {
    Map<Long, JsonObject> runs = new LinkedHashMap<>();
    for (Row r : rows) runs.put(r.getLong("id"), run(r));
    if (runs.isEmpty()) return Future.succeededFuture(new ArrayList<>());
    return pool.preparedQuery(ErpSql.OUTCOMES_OF).execute(Tuple.of(runs.keySet().toArray(Long[]::new))).map(out -> {
      for (Row o : out) runs.get(o.getLong("run_id")).getJsonArray("sources").add(outcome(o));
      return new ArrayList<>(runs.values());
    });
  }

  /** Per source name: cursor, freshness and last outcome (absent names were never synced). */
  public Future<Map<String, JsonObject>> sources(List<String> names) {
    return pool.preparedQuery(ErpSql.SOURCES).execute(Tuple.of(names.toArray(String[]::new))).map(rows -> {
      Map<String, JsonObject> out = new LinkedHashMap<>();
      for (Row r : rows) {
        JsonObject s = new JsonObject().put("cursor", iso(r, "cursor_at")).put("lastSuccessAt", iso(r, "last_success_at"))
            .put("lastFullAt", iso(r, "last_full_at")).put("runningRun", r.getLong("running_run"));
        s.put("lastRun", r.getLong("run_id") == null ? null : outcome(r).put("runId", r.getLong("run_id")));
        out.put(r.getString("source"), s);
      }
      return out;
    });
  }

  /** Sources whose data is older than {@code minutes}, with their last complete sync (null if never). */
  Future<Map<String, String>> stale(List<String> names, int minutes) {
    return pool.preparedQuery(ErpSql.STALE).execute(Tuple.of(names.toArray(String[]::new), minutes)).map(rows -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (Row r : rows) out.put(r.getString("source"), iso(r, "last_success_at"));
      return out;
    });
  }

  private static JsonObject run(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("trigger", r.getString("trigger")).put("full", r.getBoolean("full_sync"))
        .put("requested", new JsonArray(List.of(r.getArrayOfStrings("sources")))).put("requestedBy", r.getString("requested_by"))
        .put("jobId", r.getLong("job_id")).put("state", r.getString("state")).put("generation", r.getLong("generation"))
        .put("error", r.getString("error")).put("createdAt", iso(r, "created_at")).put("startedAt", iso(r, "started_at"))
        .put("finishedAt", iso(r, "finished_at")).put("sources", new JsonArray());
  }

  private static JsonObject outcome(Row o) {
    return new JsonObject().put("source", o.getString("source")).put("state", o.getString("state"))
        .put("fetched", o.getInteger("fetched")).put("inserted", o.getInteger("inserted"))
        .put("updated", o.getInteger("updated")).put("unchanged", o.getInteger("unchanged"))
        .put("quarantined", o.getInteger("quarantined")).put("pages", o.getInteger("pages"))
        .put("error", o.getString("error")).put("startedAt", iso(o, "started_at")).put("finishedAt", iso(o, "finished_at"));
  }

  private static String iso(Row r, String col) {
    OffsetDateTime t = r.getOffsetDateTime(col);
    return t == null ? null : t.toInstant().toString();
  }
}
