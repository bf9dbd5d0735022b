package pharmaops.jobs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/** Builds and publishes the {@link JobEvents#UPDATED} document (schema in {@link JobEvents}). */
final class JobEvent {
  /** Internal: asks the node running a job to flag it cancelled now rather than at its next heartbeat. */
  static final String CANCEL = "jobs.cancel";

  private JobEvent() {}

  static JsonObject of(long id, String type, String state, int progress, int attempt, String owner, JsonObject details,
                       String error) {
    return new JsonObject().put("id", id).put("type", type).put("state", state).put("progress", progress)
        .put("attempt", attempt).put("owner", owner).put("details", details).put("error", error)
        .put("at", Instant.now().toString());
  }

  /** From a row holding the columns id, type, state, progress, attempts, owner, details, error. */
  static JsonObject of(Row r) {
    Object d = r.getValue("details");
    return of(r.getLong("id"), r.getString("type"), r.getString("state"), r.getInteger("progress"),
        r.getInteger("attempts"), r.getString("owner"), d instanceof JsonObject o ? o : null, r.getString("error"));
  }

  /** Errors are stored and published whole up to 2,000 characters (a stack of causes can be far longer). */
  static String clip(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }

  static void publish(Vertx vertx, JsonObject event) {
    vertx.eventBus().publish(JobEvents.UPDATED, event);
  }
}
