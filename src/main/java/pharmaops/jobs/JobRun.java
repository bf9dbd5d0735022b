package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One claimed attempt: the handler's {@link JobContext}. Lives on the engine's event loop; progress is written
 * (renewing the lease) and published at most every {@code progressIntervalMs}, the last value always with the
 * outcome.
 */
final class JobRun implements JobContext {
  private final JobEngine engine;
  private final long id;
  private final JobType type;
  private final JsonObject payload;
  private final int attempt;
  private final String owner;
  volatile boolean cancelled;
  /** Set when this worker no longer holds the job (lease lost, released at shutdown, timed out). */
  volatile String abandoned;
  /** Its outcome is decided (recorded or being recorded); later completions and timeouts are ignored. */
  boolean done;
  /** Its outcome is written (or given up on): it left the engine's running map. */
  boolean settled;
  /** The handler's future completed (after a timeout it may run on for a while). */
  boolean handlerDone;
  /** Its concurrency slot was given back: settled and handler done. */
  boolean freed;
  int progress;
  JsonObject details;
  private long lastWrite;
  private boolean writing;
  private Future<Void> inFlight = Future.succeededFuture();

  JobRun(JobEngine engine, long id, JobType type, JsonObject payload, int attempt, String owner, boolean cancelled) {
    this.engine = engine;
    this.id = id;
    this.type = type;
    this.payload = payload;
    this.attempt = attempt;
    this.owner = owner;
    this.cancelled = cancelled;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String type() {
    return type.name();
  }

  JobType jobType() {
    return type;
  }

  @Override
  public JsonObject payload() {
    return payload;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public boolean cancelRequested() {
    return cancelled;
  }

  @Override
  public Future<Void> progress(int percent, JsonObject details) {
    Future<Void> refused = record(percent, details);
    if (refused != null) return refused;
    // Throttled: a handler may report every chunk; the database and subscribers see a few updates per second.
    if (writing || System.currentTimeMillis() - lastWrite < engine.jobsConfig().progressIntervalMs()) {
      return Future.succeededFuture();
    }
    return write();
  }

  @Override
  public Future<Void> checkpoint(int percent, JsonObject details) {
    Future<Void> refused = record(percent, details);
    if (refused != null) return refused;
    return inFlight.transform(ar -> write()); // after a write under way, so it cannot overtake it
  }

  /** Keeps the values for the next write; a failed future when the attempt must stop instead. */
  private Future<Void> record(int percent, JsonObject details) {
    if (cancelled) return Future.failedFuture(new JobCancelledException(id));
    if (abandoned != null) return Future.failedFuture(new IllegalStateException("job " + id + " abandoned: " + abandoned));
    this.progress = Math.max(0, Math.min(100, percent));
    this.details = details;
    return null;
  }

  /** Writes progress, renewing the lease, which fails the attempt when the job is no longer its own. */
  private Future<Void> write() {
    writing = true;
    lastWrite = System.currentTimeMillis();
    inFlight = engine.writeProgress(this).andThen(ar -> writing = false).compose(stillOurs -> {
      if (cancelled) return Future.failedFuture(new JobCancelledException(id));
      if (!stillOurs) {
        abandoned = "lease lost";
        return Future.failedFuture(new IllegalStateException("job " + id + " lease lost"));
      }
      return Future.succeededFuture();
    });
    return inFlight;
  }
}
