package pharmaops.jobs;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The workers of one node: claims due jobs of the types registered here (per-type concurrency), runs them,
 * renews their leases, requeues jobs of dead workers, and records outcomes in batches. All state is confined
 * to this verticle's event loop; other threads only call {@link #wake}.
 */
public final class JobEngine extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(JobEngine.class);

  private final Pool pool;
  private final PgConnectOptions pgOptions;
  private final JobsConfig config;
  private final Map<String, JobRegistry.Registered> handlers;
  private final JobMetrics metrics;
  private final String workerId = "w-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, Lane> lanes = new HashMap<>();
  private final Map<Long, JobRun> running = new HashMap<>();
  private final Completions completions;
  private final Leases leases;
  private PgSubscriber subscriber;
  private MessageConsumer<Long> cancels;
  private long pollTimer = -1;
  private long heartbeatTimer = -1;
  private long reapTimer = -1;
  private boolean stopping;
  private Promise<Void> drained;

  public JobEngine(Pool pool, PgConnectOptions pgOptions, JobsConfig config, Map<String, JobRegistry.Registered> handlers,
                   JobMetrics metrics) {
    this.pool = pool;
    this.pgOptions = pgOptions;
    this.config = config;
    this.handlers = handlers;
    this.metrics = metrics;
    this.completions = new Completions(this, pool, workerId);
    this.leases = new Leases(this, pool, workerId, config.leaseSeconds());
  }

  JobsConfig jobsConfig() {
    return config;
  }

  String workerId() {
    return workerId;
  }

  void onContext(Runnable r) {
    context.runOnContext(v -> r.run());
  }

  void later(long ms, Runnable r) {
    vertx.setTimer(ms, t -> r.run());
  }

  @Override
  public Future<?> start() {
    cancels = vertx.eventBus().consumer(JobEvent.CANCEL, m -> {
      JobRun run = running.get(m.body());
      if (run != null) run.cancelled = true;
    });
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), t -> pumpAll(true));
    heartbeatTimer = vertx.setPeriodic(config.heartbeatSeconds() * 1000L, t -> leases.heartbeat());
    reapTimer = vertx.setPeriodic(Math.max(1000L, config.leaseSeconds() * 500L), t -> leases.reap());
    subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(pgOptions)).reconnectPolicy(n -> 1000L);
    subscriber.channel(JobsSql.CHANNEL).subscribeHandler(v -> pumpAll(true)).handler(this::onNotify);
    return subscriber.connect()
        .recover(e -> {
          log.warn("LISTEN unavailable, polling only until it reconnects {}", kv("error", e.toString()));
          return Future.succeededFuture();
        })
        .andThen(ar -> log.info("job workers started {} {}", kv("worker", workerId), kv("types", handlers.keySet())));
  }

  /** Crash-like stop (Vert.x closing): timers and LISTEN end; leases simply expire. {@link #drain} is the graceful path. */
  @Override
  public Future<?> stop() {
    stopping = true;
    cancelTimers();
    vertx.cancelTimer(heartbeatTimer);
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  /** Called from any thread after a handler is registered or a NOTIFY-less enqueue. */
  void wake(String type) {
    if (context != null) context.runOnContext(v -> onNotify(type));
  }

  io.vertx.core.Vertx owner() {
    return vertx;
  }

  Map<Long, JobRun> running() {
    return running;
  }

  void onNotify(String type) {
    Lane lane = lane(type);
    if (lane == null) return;
    lane.dirty = true;
    pump(lane);
  }

  private Lane lane(String type) {
    Lane lane = lanes.get(type);
    if (lane == null) {
      JobRegistry.Registered reg = handlers.get(type);
      if (reg == null) return null;
      lane = new Lane(reg);
      lanes.put(type, lane);
    }
    return lane;
  }

  private void pumpAll(boolean markDirty) {
    for (String type : handlers.keySet()) {
      Lane lane = lane(type);
      if (markDirty) lane.dirty = true;
      pump(lane);
    }
  }

  private void pump(Lane lane) {
    if (stopping || lane.claiming || !lane.dirty) return;
    int free = lane.reg.type().concurrency() - lane.inFlight;
    if (free <= 0) return;
    int n = Math.min(free, config.claimBatch());
    lane.dirty = false;
    lane.claiming = true;
    pool.preparedQuery(JobsSql.CLAIM).execute(Tuple.of(lane.reg.type().name(), n, workerId, (double) config.leaseSeconds()))
        .onComplete(ar -> {
          lane.claiming = false;
          if (ar.failed()) {
            lane.dirty = true; // the next poll tries again
            log.warn("claim failed {} {}", kv("type", lane.reg.type().name()), kv("error", ar.cause().toString()));
            return;
          }
          if (ar.result().rowCount() == n) lane.dirty = true; // there may be more
          for (Row r : ar.result()) begin(lane, r);
          pump(lane);
        });
  }

  private void begin(Lane lane, Row r) {
    JobType type = lane.reg.type();
    JobRun run = new JobRun(this, r.getLong("id"), type, r.getJsonObject("payload"), r.getInteger("attempts"),
        r.getString("owner"), r.getBoolean("cancel_requested"));
    lane.inFlight++;
    JobRun previous = running.put(run.id(), run);
    // Our own reaper handed the job back (its heartbeats had failed) and we claimed it again: the old attempt is
    // no longer ours, and its end must neither be recorded nor take this run's place in the map.
    if (previous != null) previous.abandoned = "lease lost";
    metrics.waited(type.name(), r.getDouble("waited"));
    JobEvent.publish(vertx, JobEvent.of(run.id(), type.name(), "running", 0, run.attempt(), run.owner(), null, null));
    if (run.attempt() > type.maxAttempts()) {
      // Its workers kept dying (leases expired) until no attempt was left: do not run it yet again.
      completions.add(run, "dead", null, "no attempts left after " + type.maxAttempts() + " lost workers", null);
      run.done = true;
      run.handlerDone = true;
      return;
    }
    Future<JsonObject> f;
    try {
      f = run.cancelled ? Future.failedFuture(new JobCancelledException(run.id())) : lane.reg.handler().run(run);
      if (f == null) f = Future.failedFuture(new IllegalStateException("handler returned no future"));
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    long timer = vertx.setTimer(type.timeout().toMillis(), t -> {
      run.abandoned = "timed out";
      finish(run, Future.failedFuture(new TimeoutException("attempt timed out after " + type.timeout())));
    });
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      run.handlerDone = true;
      finish(run, ar);
      free(run);
    });
  }

  private void finish(JobRun run, AsyncResult<JsonObject> ar) {
    if (run.done) return;
    run.done = true;
    if (run.abandoned != null && !"timed out".equals(run.abandoned)) {
      completions.forget(run); // lease lost or released: the job is no longer ours to record
      return;
    }
    if (ar.succeeded()) {
      completions.add(run, "succeeded", ar.result() == null ? new JsonObject() : ar.result(), null, null);
      return;
    }
    Throwable e = ar.cause();
    String error = e instanceof JobCancelledException ? "cancelled" : JobEvent.clip(String.valueOf(e));
    if (!run.cancelled && !(e instanceof JobCancelledException)) {
      log.warn("job attempt failed {} {} {} {}", kv("job", run.id()), kv("type", run.type()), kv("attempt", run.attempt()),
          kv("error", error));
    }
    if (run.attempt() >= run.jobType().maxAttempts() && !run.cancelled) {
      completions.add(run, "dead", null, error, null);
    } else {
      completions.add(run, "failed", null, error, Backoff.delayMs(run.jobType(), run.attempt()));
    }
  }

  /** Called by {@link Completions} once a run's outcome is recorded (or given up on). */
  void released(JobRun run) {
    if (run.settled) return;
    run.settled = true;
    running.remove(run.id(), run); // not a newer run of the same job (see begin)
    free(run);
    checkDrained();
  }

  /**
   * Gives the run's slot back once its outcome is settled and its handler has returned. A timed-out handler keeps
   * running until it next calls progress() (which then fails): until it returns it still uses what the type's
   * concurrency limit protects, so its slot stays taken. A handler that never returns holds its slot for good.
   */
  private void free(JobRun run) {
    if (!run.settled || !run.handlerDone || run.freed) return;
    run.freed = true;
    Lane lane = lanes.get(run.type());
    if (lane != null) {
      lane.inFlight--;
      pump(lane);
    }
  }

  void recorded(Row r) {
    metrics.finished(r.getString("type"), r.getString("state"));
    JobEvent.publish(vertx, JobEvent.of(r));
  }

  Future<Boolean> writeProgress(JobRun run) {
    return pool.preparedQuery(JobsSql.PROGRESS).execute(Tuple.of(run.id(), run.progress, run.details, workerId,
            run.attempt(), (double) config.leaseSeconds()))
        .map(rows -> {
          if (rows.rowCount() == 0) return false;
          if (Boolean.TRUE.equals(rows.iterator().next().getBoolean(0))) run.cancelled = true;
          JobEvent.publish(vertx, JobEvent.of(run.id(), run.type(), "running", run.progress, run.attempt(), run.owner(),
              run.details, null));
          return true;
        });
  }

  /**
   * Graceful stop: claim nothing more, let running jobs finish within {@code drainSeconds}, then hand the rest
   * back to the queue (without using up an attempt) so another node takes them at once.
   */
  public Future<Void> drain() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      cancelTimers();
      if (subscriber != null) subscriber.close();
      drained = p;
      vertx.setTimer(Math.max(1, config.drainSeconds() * 1000L), t -> releaseRemaining());
      checkDrained();
    });
    return p.future();
  }

  private void releaseRemaining() {
    if (drained == null || drained.future().isComplete()) return;
    List<JobRun> left = running.values().stream().filter(r -> !r.done).toList();
    left.forEach(r -> r.abandoned = "released");
    Long[] ids = left.stream().map(JobRun::id).toArray(Long[]::new);
    log.info("releasing unfinished jobs {}", kv("jobs", ids.length));
    pool.preparedQuery(JobsSql.RELEASE).execute(Tuple.of(ids, workerId))
        .onSuccess(rows -> rows.forEach(r -> JobEvent.publish(vertx, JobEvent.of(r))))
        .onComplete(ar -> {
          left.forEach(r -> {
            r.done = true;
            released(r);
          });
          completions.flushNow().onComplete(x -> finishDrain());
        });
  }

  private void checkDrained() {
    if (drained != null && running.isEmpty() && completions.idle()) finishDrain();
  }

  private void finishDrain() {
    vertx.cancelTimer(heartbeatTimer);
    if (drained != null) drained.tryComplete();
  }

  private void cancelTimers() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(reapTimer);
    if (cancels != null) cancels.unregister();
  }
}
