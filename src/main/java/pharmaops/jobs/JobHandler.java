package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What one job type does. A capability registers one per type with {@link JobQueue#register}; the engine
 * calls it for each attempt. Side effects must be idempotent or recorded in a ledger row with a unique key
 * (the engine is at-least-once: a job whose worker died runs again after its lease expires).
 */
@FunctionalInterface
public interface JobHandler {
  /** Runs one attempt. The JSON becomes the job's result; a failed future is retried with backoff, then dead. */
  Future<JsonObject> run(JobContext job);
}
