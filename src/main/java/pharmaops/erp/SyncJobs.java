package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.jobs.JobContext;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.JobType;
import pharmaops.jobs.NewJob;
import pharmaops.platform.Platform;

import java.time.Duration;
import java.util.List;

/**
 * Sync runs as durable jobs. A manual run is recorded (queued) and then enqueued; each ERP's cron schedule
 * enqueues a job once per slot cluster-wide (the job queue's slot key), and that job records its run when it
 * starts. The job hands the run to the sync worker of its node over the event bus and waits for the end.
 */
final class SyncJobs {
  static final JobType TYPE = JobType.of("erp.sync").timeout(Duration.ofMinutes(30)).maxAttempts(3).concurrency(4)
      .backoffBase(Duration.ofSeconds(10));
  private final Platform platform;
  private final ErpConfig config;
  private final JobQueue queue;
  private final SyncStore store;

  SyncJobs(Platform platform, ErpConfig config, JobQueue queue) {
    this.platform = platform;
    this.config = config;
    this.queue = queue;
    this.store = new SyncStore(platform.pool());
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
    Future<Long> runId = p.containsKey("runId") ? Future.succeededFuture(p.getLong("runId"))
        : store.createRun("schedule", p.getBoolean("full", false), SyncVerticle.names(p.getJsonArray("sources")), null, false)
            .compose(id -> store.setJob(id, job.id()).map(id));
    return runId.compose(id -> platform.vertx().eventBus().<JsonObject>request(ErpEvents.EXECUTE,
            new JsonObject().put("runId", id), new DeliveryOptions().setSendTimeout(TYPE.timeout().toMillis())))
        .map(reply -> new JsonObject().put("runId", reply.body().getLong("id")).put("state", reply.body().getString("state")));
  }
}
