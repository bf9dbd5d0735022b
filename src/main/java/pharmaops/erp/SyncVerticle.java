package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.Platform;

import java.util.ArrayList;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The ERP poller, on an event loop; it parses pages on its deployment's worker pool ({@code erp-sync}), so
 * parsing never blocks the loop. It owns the runner,
 * executes runs asked for on {@link ErpEvents#EXECUTE} (by the {@code erp.sync} job), and watches breakers and
 * data freshness for alerts.
 */
public final class SyncVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SyncVerticle.class);
  private final Platform platform;
  private final ErpConfig config;
  private final List<Long> timers = new ArrayList<>();
  private final java.util.Set<Future<JsonObject>> inFlight = new java.util.HashSet<>();
  private SyncRunner runner;
  private SyncFreshness freshness;
  private WebClient client;

  public SyncVerticle(Platform platform, ErpConfig config) {
    this.platform = platform;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    int connections = Math.max(8, config.sources().stream().mapToInt(ErpConfig.Source::concurrency).sum() + 2);
    client = WebClient.create(vertx, new WebClientOptions().setUserAgent("pharmaops-erp-sync").setKeepAlive(true)
        .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(connections));
    runner = new SyncRunner(vertx, platform.pool(), config, platform.breakers(), platform.metrics(), client);
    // local: the erp.sync job runs its sync on the worker of its own node (its lease, its renewals, its logs)
    vertx.eventBus().<JsonObject>localConsumer(ErpEvents.EXECUTE, this::onExecute);
    timers.add(vertx.setPeriodic(1_000, t -> runner.checkBreakers()));
    freshness = new SyncFreshness(platform.pool(), config.sources().stream().map(ErpConfig.Source::name).toList(),
        platform.metrics());
    timers.add(vertx.setPeriodic(15_000, t -> freshness.refresh()
        .onFailure(e -> log.warn("erp data age refresh failed {}", kv("error", e.toString())))));
    timers.add(vertx.setPeriodic(60_000, t -> runner.checkFreshness()
        .onFailure(e -> log.warn("erp freshness check failed {}", kv("error", e.toString())))));
    List<Future<?>> ensure = new ArrayList<>();
    for (var s : config.sources()) ensure.add(platform.pool().preparedQuery(ErpSql.ENSURE_SOURCE).execute(Tuple.of(s.name())));
    return Future.all(ensure);
  }

  private void onExecute(Message<JsonObject> msg) {
    long runId = msg.body().getLong("runId");
    Future<JsonObject> running = runner.execute(runId);
    inFlight.add(running);
    running.onComplete(ar -> inFlight.remove(running))
        .onSuccess(run -> {
          vertx.eventBus().publish(ErpEvents.FINISHED, run);
          msg.reply(run);
          // a finished run is a good moment to look at the ERPs it did not touch
          freshness.refresh();
          runner.checkFreshness().onFailure(e -> log.warn("erp freshness check failed {}", kv("error", e.toString())));
        })
        .onFailure(e -> {
          log.error("erp run could not be completed {} {}", kv("run", runId), kv("error", e.toString()), e);
          msg.fail(500, e.toString());
        });
  }

  static List<String> names(io.vertx.core.json.JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) for (Object o : a) out.add(String.valueOf(o));
    return out;
  }

  /** Lets running syncs finish (bounded by half the shutdown deadline); an unfinished one resumes when its job is retried. */
  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    long waitMs = platform.config().shutdownDeadlineSeconds() * 500L;
    return Future.join(List.copyOf(inFlight)).timeout(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .eventually(() -> {
          if (client != null) client.close();
          return Future.succeededFuture();
        });
  }
}
