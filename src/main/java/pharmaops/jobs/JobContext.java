package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The running attempt of one job, as its handler sees it. */
public interface JobContext {
  long id();

  String type();

  JsonObject payload();

  /** 1 for the first attempt. */
  int attempt();

  /** Subject of the token that submitted the job, or null for system jobs. */
  String owner();

  /**
   * Records progress (0..100) and handler-specific details (e.g. {@code rowsWritten}), renews the lease and
   * publishes {@code jobs.updated}. Fails with {@link JobCancelledException} when the job was cancelled in the
   * meantime, so a handler that calls it once per chunk stops at the next chunk.
   */
  Future<Void> progress(int percent, JsonObject details);

  /**
   * Like {@link #progress}, but written at once (never skipped by the throttle) and failing unless this attempt
   * still holds the job: call it right before an effect only the holder may make (publishing a finished file
   * under its final name). The lease it renews keeps any other attempt from starting for {@code leaseSeconds}.
   */
  Future<Void> checkpoint(int percent, JsonObject details);

  /** True once cancellation was requested (cheap; no I/O). */
  boolean cancelRequested();
}
