package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.jobs.JobContext;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.JobState;
import pharmaops.jobs.JobStore;
import pharmaops.jobs.JobType;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Sync runs as durable jobs. A manual run is recorded (queued) and then enqueued; each ERP's cron schedule
 * enqueues a job once per slot cluster-wide (the job queue's slot key), and that job records its run when it
 * first starts (one run per job: a retry after a crash resumes that run). The job hands the run to the sync
 * worker of its own node (a local consumer) and waits for the end. Every job start also closes runs whose job
 * is over without them, so no run stays {@code running} for ever.
 */
final class SyncJobs {
  static final JobType TYPE = JobType.of("erp.sync").timeout(Duration.ofMinutes(30)).maxAttempts(3).concurrency(4)
      .backoffBase(Duration.ofSeconds(10));
  private final Platform platform;
  private final ErpConfig config;
  private final JobQueue queue;
  /** A manual run without a job after this long will not get one (its node died between the two writes). */
  static final int ORPHAN_MINUTES = 10;
  private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);
  private final SyncStore store;
  private final JobStore jobs;

  SyncJobs(Platform platform, ErpConfig config, JobQueue queue) {
    this.platform = platform;
    this.config = config;
    this.queue = queue;
    this.store = new SyncStore(platform.pool());
    this.jobs = new JobStore(platform.vertx(), platform.pool());
  }

  void start() {
    queue.register(TYPE, this::handle);
    for (ErpConfig.Source s : config.sources()) {
      queue.schedule("erp." + s.name(), s.schedule(), () -> NewJob.of(TYPE.name(),
          new JsonObject().put("sources", new JsonArray().add(s.name())).put("full", false)));
    }
  }

  /** Records a manual run and enqueues its job; completes with the run (state queued, with its job id). */
  Future<JsonObject> trigger(boolean full, List<String> sources, String requestedBy) {
    return store.createRun("manual", full, sources, requestedBy, false).compose(runId ->
        queue.enqueue(NewJob.of(TYPE.name(), new JsonObject().put("runId", runId)).owner(requestedBy))
            .compose(job -> job.isPresent() ? store.setJob(runId, job.get()) : Future.succeededFuture())
            .recover(e -> store.failRun(runId, "could not enqueue the sync job: " + e.getMessage())
                .compose(v -> Future.failedFuture(e)))
            .compose(v -> store.getRun(runId)).map(r -> r.orElseThrow()));
  }

  private Future<JsonObject> handle(JobContext job) {
    JsonObject p = job.payload();
    return closeAbandoned().compose(v -> p.containsKey("runId") ? Future.succeededFuture(p.getLong("runId"))
            : store.scheduledRun(job.id(), p.getBoolean("full", false), SyncVerticle.names(p.getJsonArray("sources"))))
        .compose(id -> platform.vertx().eventBus().<JsonObject>request(ErpEvents.EXECUTE,
            new JsonObject().put("runId", id), execute()))
        .map(reply -> new JsonObject().put("runId", reply.body().getLong("id")).put("state", reply.body().getString("state")));
  }

  /** To the sync worker of this node: its consumer is local, so a clustered send without this finds no handler. */
  static DeliveryOptions execute() {
    return new DeliveryOptions().setLocalOnly(true).setSendTimeout(TYPE.timeout().toMillis());
  }

  /**
   * Closes unfinished runs nobody will finish: their job is over (succeeded, dead, cancelled) or gone, or they
   * are manual runs that never got a job. Never fails: a run left open is closed by the next job start.
   */
  Future<Void> closeAbandoned() {
    return store.unfinished(ORPHAN_MINUTES).compose(runs -> {
      List<Future<?>> closing = new ArrayList<>();
      for (SyncStore.Unfinished r : runs) {
        if (r.jobId() == null) {
          if (r.old()) closing.add(store.abandon(r.id(), "no job was enqueued for it"));
          continue;
        }
        closing.add(jobs.get(r.jobId()).compose(j -> {
          String state = j.map(v -> v.getString("state")).orElse(null);
          JobState s = JobState.fromWire(state);
          if (s != null && !s.finished()) return Future.succeededFuture();
          return store.abandon(r.id(), "its job " + r.jobId() + (state == null ? " no longer exists" : " is " + state))
              .onSuccess(closed -> {
                if (closed) log.warn("erp run abandoned {} {} {}", kv("run", r.id()), kv("job", r.jobId()), kv("jobState", state));
              });
        }));
      }
      return Future.join(closing).<Void>mapEmpty();
    }).otherwise(e -> {
      log.warn("erp abandoned-run check failed {}", kv("error", e.toString()));
      return null;
    });
  }
}
