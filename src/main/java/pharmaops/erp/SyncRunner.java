package pharmaops.erp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.Breakers;
import pharmaops.search.CatalogueEvents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Runs syncs: all requested ERPs at once, each claimed in the database (so no two runs, on any node, sync
 * the same ERP at the same time; a retried job re-claims with its own run) and, on this node, never two
 * passes over one ERP at once. Then logs per-ERP outcomes, moves cursors, bumps the catalogue generation
 * when anything changed, and alerts on failures, opened breakers and stale data. All state is confined to
 * the sync verticle's context.
 */
public final class SyncRunner {
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
  static final int LEASE_SECONDS = 600;
  private final Vertx vertx;
  private final ErpConfig config;
  private final SyncStore store;
  private final Alerts alerts;
  private final MeterRegistry metrics;
  private final Map<String, SourceSync> syncs = new HashMap<>();
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final Map<String, CircuitBreakerState> lastStates = new HashMap<>();
  /** Runs executing on this node, by id: a job retried while its earlier attempt still runs here waits for it. */
  private final Map<Long, Future<JsonObject>> executions = new HashMap<>();
  /** ERPs being synced on this node, with the run syncing each. */
  private final Map<String, Long> active = new HashMap<>();

  /** What a run syncs: {@code sources} are ERP names, empty = all configured. */
  public record Request(boolean full, List<String> sources) {}

  public SyncRunner(Vertx vertx, Pool pool, ErpConfig config, Breakers platformBreakers, MeterRegistry metrics, WebClient client) {
    this.vertx = vertx;
    this.config = config;
    this.store = new SyncStore(pool);
    this.metrics = metrics;
    this.alerts = new Alerts(client, pool, config.alertWebhookUrl(), config.alertMinIntervalSeconds(), metrics);
    CatalogueUpsert upsert = new CatalogueUpsert(pool);
    for (ErpConfig.Source s : config.sources()) {
      CircuitBreaker cb = platformBreakers.get(breakerName(s.name()), new CircuitBreakerOptions()
          .setMaxFailures(config.breakerMaxFailures()).setTimeout(s.timeoutMs() + 1_000L)
          .setResetTimeout(config.breakerResetMs()).setFailuresRollingWindow(60_000));
      breakers.put(s.name(), cb);
      syncs.put(s.name(), new SourceSync(vertx, client, config, s, cb, new RateLimiter(vertx, s.rateLimit()), upsert, metrics));
    }
  }

  public static String breakerName(String source) {
    return "erp:" + source;
  }

  /**
   * Executes a created run: syncs its ERPs concurrently and closes it; completes with the run as the API shows
   * it. A run that has finished already (its job is retried after the run completed) is returned unchanged;
   * one still executing here (its job timed out and was retried on this node) is joined, not started again.
   */
  public Future<JsonObject> execute(long runId) {
    Future<JsonObject> running = executions.get(runId);
    if (running != null) return running;
    Future<JsonObject> run = store.startRun(runId).compose(r -> r.isEmpty() ? Future.succeededFuture(runId) : execute(runId, r.get()))
        .compose(id -> store.getRun(id)).map(Optional::orElseThrow);
    executions.put(runId, run);
    run.onComplete(ar -> executions.remove(runId));
    return run;
  }

  private Future<Long> execute(long runId, Request r) {
    List<ErpConfig.Source> selected = config.sources().stream()
        .filter(s -> r.sources().isEmpty() || r.sources().contains(s.name())).collect(Collectors.toList());
    if (selected.isEmpty()) return store.failRun(runId, "none of the requested ERPs " + r.sources() + " is configured").map(runId);
    Timer.Sample sample = Timer.start(metrics);
    long renew = vertx.setPeriodic(LEASE_SECONDS * 1000L / 10, t -> selected.forEach(s -> store.renew(s.name(), runId, LEASE_SECONDS)));
    List<Future<Outcome>> all = new ArrayList<>();
    for (ErpConfig.Source s : selected) all.add(one(runId, s, r.full()));
    return Future.join(all).transform(ignored -> {
      vertx.cancelTimer(renew);
      List<Outcome> outcomes = all.stream().map(f -> f.succeeded() ? f.result() : crashed(f.cause())).toList();
      // a skipped ERP was not synced either: a run that synced nothing must not look like a success
      long succeeded = outcomes.stream().filter(Outcome::succeeded).count();
      String state = succeeded == outcomes.size() ? "succeeded" : succeeded == 0 ? "failed" : "partial";
      String error = outcomes.stream().allMatch(o -> o.state().equals("skipped"))
          ? "nothing synced: every requested ERP was being synced by another run" : null;
      boolean changed = outcomes.stream().anyMatch(o -> o.inserted() + o.updated() > 0);
      List<String> names = selected.stream().map(ErpConfig.Source::name).toList();
      sample.stop(metrics.timer("pharmaops.erp.run", "state", state));
      return store.finishRun(runId, state, error, changed, names).map(gen -> {
        if (gen != null) CatalogueEvents.publish(vertx, gen, "erp");
        log.info("erp run finished {} {} {}", kv("run", runId), kv("state", state), kv("generation", gen));
        if (!state.equals("succeeded")) {
          String why = outcomes.stream().filter(o -> !o.succeeded())
              .map(o -> o.source() + ": " + (o.state().equals("skipped") ? "skipped, " : "") + o.error()).collect(Collectors.joining("; "));
          alerts.send("run-" + state, ":warning: ERP sync run " + runId + " " + state + " — " + why);
        }
        return runId;
      });
    });
  }

  private Future<Outcome> one(long runId, ErpConfig.Source s, boolean full) {
    Instant started = Instant.now();
    Long busy = active.get(s.name());
    if (busy != null) {
      // the database claim alone would let a second pass in when its lease ran out, or for the same run
      return store.saveOutcome(runId, skipped(s, "this node is still syncing it for run " + busy, started));
    }
    active.put(s.name(), runId);
    return store.claim(s.name(), runId, LEASE_SECONDS).compose(claim -> {
      if (!claim.claimed()) return Future.succeededFuture(skipped(s, "another run is syncing this ERP", started));
      Instant since = full || claim.cursor() == null ? null : claim.cursor().minus(Duration.ofSeconds(config.lookbackSeconds()));
      return syncs.get(s.name()).run(runId, since)
          .compose(o -> store.release(s.name(), runId, o, full).map(o));
    }).recover(e -> Future.succeededFuture(crashed(e).withSource(s.name(), started)))
        .onComplete(ar -> active.remove(s.name(), runId))
        .compose(o -> store.saveOutcome(runId, o));
  }

  private static Outcome skipped(ErpConfig.Source s, String why, Instant started) {
    return new Outcome(s.name(), "skipped", 0, 0, 0, 0, 0, 0, why, started, Instant.now(), null);
  }

  private static Outcome crashed(Throwable e) {
    return new Outcome("?", "failed", 0, 0, 0, 0, 0, 0, SourceSync.describe(e), Instant.now(), Instant.now(), null);
  }

  /** Alerts once per transition of an ERP's breaker to open (polled: the breaker's own handlers log and meter). */
  public void checkBreakers() {
    breakers.forEach((name, cb) -> {
      CircuitBreakerState now = cb.state();
      CircuitBreakerState before = lastStates.put(name, now);
      if (now == CircuitBreakerState.OPEN && before != CircuitBreakerState.OPEN) {
        alerts.send("breaker-" + name, ":rotating_light: circuit breaker of ERP " + name + " opened after "
            + cb.failureCount() + " failures; calls to it fail fast until it recovers");
      }
    });
  }

  /** Alerts for every ERP whose last complete sync is older than the freshness target. */
  public Future<Void> checkFreshness() {
    if (config.freshnessMinutes() == 0 || config.sources().isEmpty()) return Future.succeededFuture();
    List<String> names = config.sources().stream().map(ErpConfig.Source::name).toList();
    return store.stale(names, config.freshnessMinutes()).map(stale -> {
      stale.forEach((name, last) -> alerts.send("stale-" + name, ":hourglass: ERP " + name + " data is older than "
          + config.freshnessMinutes() + " min (last complete sync: " + (last == null ? "never" : last) + ")"));
      return null;
    });
  }
}
