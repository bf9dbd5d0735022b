package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.Platform;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The ERP poller, deployed as a worker so that page parsing never blocks an event loop. It owns the
 * runner, answers {@link ErpEvents#START} and {@link ErpEvents#RUN}, watches breakers and freshness, and,
 * when no job engine schedules the syncs, fires each ERP's cron itself: every node does, and the run key
 * of the slot lets only one of them run it.
 */
public final class SyncVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SyncVerticle.class);
  private final Platform platform;
  private final ErpConfig config;
  private final boolean ownSchedules;
  private final List<Long> timers = new ArrayList<>();
  private SyncRunner runner;
  private WebClient client;

  /** @param ownSchedules fire cron slots with timers here (false when the job engine schedules them) */
  public SyncVerticle(Platform platform, ErpConfig config, boolean ownSchedules) {
    this.platform = platform;
    this.config = config;
    this.ownSchedules = ownSchedules;
  }

  @Override
  public Future<?> start() {
    int connections = Math.max(8, config.sources().stream().mapToInt(ErpConfig.Source::concurrency).sum() + 2);
    client = WebClient.create(vertx, new WebClientOptions().setUserAgent("pharmaops-erp-sync").setKeepAlive(true)
        .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(connections));
    runner = new SyncRunner(vertx, platform.pool(), config, platform.breakers(), platform.metrics(), client);
    vertx.eventBus().<JsonObject>consumer(ErpEvents.START, this::onStart);
    vertx.eventBus().<JsonObject>consumer(ErpEvents.RUN, this::onRun);
    timers.add(vertx.setPeriodic(1_000, t -> runner.checkBreakers()));
    timers.add(vertx.setPeriodic(60_000, t -> runner.checkFreshness()
        .onFailure(e -> log.warn("erp freshness check failed {}", kv("error", e.toString())))));
    if (ownSchedules) config.sources().forEach(this::scheduleNext);
    List<Future<?>> ensure = new ArrayList<>();
    for (var s : config.sources()) ensure.add(platform.pool().preparedQuery(ErpSql.ENSURE_SOURCE).execute(io.vertx.sqlclient.Tuple.of(s.name())));
    return Future.all(ensure);
  }

  private void onStart(Message<JsonObject> msg) {
    SyncRunner.Request r = request(msg.body());
    runner.start(r).onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(500, ar.cause().toString());
      } else if (ar.result().isEmpty()) {
        msg.fail(409, "a run for slot " + r.runKey() + " exists already");
      } else {
        JsonObject run = ar.result().get();
        msg.reply(run);
        execute(run.getLong("id"), r);
      }
    });
  }

  private void onRun(Message<JsonObject> msg) {
    SyncRunner.Request r = request(msg.body());
    runner.start(r).compose(run -> run.isEmpty()
            ? Future.succeededFuture(new JsonObject().put("skipped", true).put("runKey", r.runKey()))
            : execute(run.get().getLong("id"), r))
        .onSuccess(msg::reply)
        .onFailure(e -> msg.fail(500, e.toString()));
  }

  private Future<JsonObject> execute(long runId, SyncRunner.Request r) {
    return runner.execute(runId, r)
        .onSuccess(run -> vertx.eventBus().publish(ErpEvents.FINISHED, run))
        .onFailure(e -> log.error("erp run could not be completed {} {}", kv("run", runId), kv("error", e.toString()), e));
  }

  static SyncRunner.Request request(JsonObject b) {
    List<String> sources = new ArrayList<>();
    for (Object o : b.getJsonArray("sources", new JsonArray())) sources.add(String.valueOf(o));
    return new SyncRunner.Request(b.getBoolean("full", false), List.copyOf(sources), b.getString("trigger", "manual"),
        b.getString("requestedBy"), b.getString("runKey"));
  }

  /** The run key of one cron slot of one ERP: the same on every node. */
  static String slotKey(String source, ZonedDateTime slot) {
    return "schedule:" + source + ":" + slot.toInstant();
  }

  private void scheduleNext(ErpConfig.Source s) {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime slot = Cron.parse(s.schedule()).next(now);
    long delay = Math.max(1, java.time.Duration.between(now, slot).toMillis());
    timers.add(vertx.setTimer(delay, t -> {
      JsonObject body = new JsonObject().put("full", false).put("sources", new JsonArray().add(s.name()))
          .put("trigger", "schedule").put("runKey", slotKey(s.name(), slot));
      SyncRunner.Request r = request(body);
      runner.start(r).onSuccess(run -> run.ifPresent(x -> execute(x.getLong("id"), r)))
          .onFailure(e -> log.warn("erp scheduled run not started {} {}", kv("source", s.name()), kv("error", e.toString())));
      scheduleNext(s);
    }));
  }

  public Optional<SyncRunner> runner() {
    return Optional.ofNullable(runner);
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    if (client != null) client.close();
    return Future.succeededFuture();
  }
}
