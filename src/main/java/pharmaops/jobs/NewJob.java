package pharmaops.jobs;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A job to enqueue.
 *
 * @param uniqueKey when set, a second job with the same type and key is not enqueued while the first is not
 *                  finished, and never for the same key once it succeeded (e.g. {@code customer:42:2026-11})
 * @param owner     subject of the submitting token (null for system jobs); only the owner and admins see it
 * @param priority  higher runs first
 * @param runAt     not before this instant (null = now)
 */
public record NewJob(String type, JsonObject payload, String uniqueKey, String owner, int priority, Instant runAt) {
  public static NewJob of(String type, JsonObject payload) {
    return new NewJob(type, payload, null, null, 0, null);
  }

  public NewJob uniqueKey(String key) {
    return new NewJob(type, payload, key, owner, priority, runAt);
  }

  public NewJob owner(String who) {
    return new NewJob(type, payload, uniqueKey, who, priority, runAt);
  }

  public NewJob priority(int p) {
    return new NewJob(type, payload, uniqueKey, owner, p, runAt);
  }

  public NewJob runAt(Instant at) {
    return new NewJob(type, payload, uniqueKey, owner, priority, at);
  }
}
