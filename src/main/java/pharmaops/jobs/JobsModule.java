package pharmaops.jobs;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import pharmaops.Module;
import pharmaops.http.Auth;
import pharmaops.platform.Platform;

import java.util.Map;

/**
 * The job engine of this node. Built before the other modules so they can take {@link #queue()} and register
 * handlers in their own {@code start()}; its workers start with this module and stop (drain) last.
 */
public final class JobsModule implements Module {
  /** Job type of the hourly retention of finished jobs. */
  static final String PURGE = "jobs.purge";
  private final Platform platform;
  private final JobsConfig config;
  private final JobRegistry registry = new JobRegistry();
  private final Schedules schedules;
  private final PgJobQueue queue;
  private final JobStore store;
  private final JobMetrics metrics;
  private final JobWatch watch;
  private JobEngine engine;
  private final Pool enginePool;
  private String deployment;
  private long statsTimer = -1;

  public JobsModule(Platform platform) {
    this(platform, JobsConfig.from(platform.config().section("jobs")));
  }

  /** With its own settings: tests and benchmarks run several engines (as if several nodes) on one platform. */
  public JobsModule(Platform platform, JobsConfig config) {
    this.platform = platform;
    this.config = config;
    this.schedules = new Schedules(platform.vertx());
    // The engine's bookkeeping (claims, leases, outcomes, wake-ups) commits without waiting for the WAL flush:
    // after a PostgreSQL crash a lost claim or outcome only means the job runs again, which at-least-once allows.
    // Enqueues and admin changes stay on the platform pool, fully durable.
    // Its statements are planned for every execution (Platform.ownPool): the job table swings from empty to a
    // million rows and back faster than statistics follow, and a plan cached while it was nearly empty (a
    // sequential scan and a sort to claim) made every claim cost O(queued jobs): 200 jobs/s instead of thousands.
    this.enginePool = platform.ownPool("pharmaops-jobs", config.poolSize(), Map.of("synchronous_commit", "off"));
    this.queue = new PgJobQueue(platform.vertx(), platform.pool(), enginePool, registry, schedules);
    this.store = new JobStore(platform.vertx(), platform.pool());
    this.metrics = new JobMetrics(platform.metrics());
    this.watch = new JobWatch(platform.vertx());
  }

  public JobQueue queue() {
    return queue;
  }

  /** Job reads and admin changes, for capabilities that show their own jobs (reports). */
  public JobStore store() {
    return store;
  }

  /** The engine verticle's deployment (tests undeploy it without draining to simulate a killed worker). */
  String deploymentId() {
    return deployment;
  }

  /** Job events of this node's listeners (WebSocket sessions, long polls). */
  public JobWatch watch() {
    return watch;
  }

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public Future<?> start() {
    engine = new JobEngine(enginePool, platform.pgOptions(), config, registry.handlers(), metrics);
    return watch.start().compose(v -> platform.vertx().deployVerticle(engine, new DeploymentOptions())).onSuccess(id -> {
      deployment = id;
      queue.attach(engine);
      queue.register(JobType.of(PURGE).maxAttempts(2).concurrency(1), job -> purge(0));
      queue.schedule(PURGE, "@hourly", () -> NewJob.of(PURGE, new JsonObject()));
      schedules.start(queue);
      statsTimer = platform.vertx().setPeriodic(1000, config.statsIntervalSeconds() * 1000L, t -> refreshGauges());
    });
  }

  /** Deletes finished jobs past their retention, a batch at a time; the result says how many went. */
  private Future<JsonObject> purge(int sofar) {
    return platform.pool().preparedQuery(JobsSql.PURGE).execute(io.vertx.sqlclient.Tuple.of(config.retentionHours()))
        .compose(rows -> rows.rowCount() == 10_000 ? purge(sofar + rows.rowCount())
            : Future.succeededFuture(new JsonObject().put("deleted", sofar + rows.rowCount())));
  }

  private void refreshGauges() {
    store.stats().onSuccess(rows -> {
      var seen = new java.util.HashSet<String>();
      rows.forEach(o -> {
        metrics.depth((JsonObject) o);
        seen.add(((JsonObject) o).getString("type"));
      });
      metrics.depthSeen(seen);
    });
  }

  @Override
  public void mount(Router api, Router root, Auth auth) {
    new JobRoutes(store).mount(api, root, auth);
    var socket = new JobsSocket(watch, store);
    root.get("/ws/jobs").handler(auth.requireForWebSocket(pharmaops.auth.Role.values())).handler(socket::handle);
  }

  /** Stops schedules and claiming, lets running jobs finish within jobs.drainSeconds, releases the rest. */
  @Override
  public Future<?> stop() {
    schedules.stop();
    platform.vertx().cancelTimer(statsTimer);
    if (engine == null || deployment == null) return enginePool.close();
    return engine.drain().eventually(() -> platform.vertx().undeploy(deployment)).eventually(watch::stop)
        .eventually(enginePool::close);
  }
}
