package pharmaops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.auth.AuthModule;
import pharmaops.http.Auth;
import pharmaops.http.HttpVerticle;
import pharmaops.http.Routes;
import pharmaops.platform.AppConfig;
import pharmaops.platform.Cluster;
import pharmaops.platform.ConfigException;
import pharmaops.platform.ConfigReader;
import pharmaops.platform.EmbeddedServices;
import pharmaops.platform.Logging;
import pharmaops.platform.Metrics;
import pharmaops.platform.Migrations;
import pharmaops.platform.Platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Entry point. Start-up is one flat chain: configuration, then the embedded servers when none are
 * configured, then migrations, then the shared platform, the capability modules, and last the HTTP
 * server, so a node only accepts requests once everything behind them is ready.
 */
public final class App {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final List<EmbeddedServices.Started<?>> embedded = Collections.synchronizedList(new ArrayList<>());
  private final List<Module> modules = new ArrayList<>();
  private final AtomicInteger port = new AtomicInteger();
  /** How long the HTTP verticles' stop lets in-flight requests run; set by {@link #stop()} from the deadline. */
  private final AtomicLong httpGraceMs = new AtomicLong();
  private CompletableFuture<Void> stopping;
  private Platform platform;
  private String httpDeployment;
  private Auth auth;

  private App(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public static void main(String[] args) {
    AppConfig config;
    try {
      config = AppConfig.load(System.getenv());
    } catch (ConfigException e) {
      log.error("{}", e.getMessage());
      exit(2);
      return;
    }
    Logging.apply(config.logFormat());
    if (args.length > 0 && !args[0].equals("serve")) {
      exit(Commands.run(config, args));
      return;
    }
    try {
      App app = start(config).toCompletionStage().toCompletableFuture().get();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> app.stopWithin(config.shutdownDeadlineSeconds()), "shutdown"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConfigException bad) {
        log.error("{}", bad.getMessage());
        exit(2);
        return;
      }
      log.error("start-up failed: {}", e.getCause() != null ? e.getCause().toString() : e.toString(), e);
      exit(1);
    } catch (Exception e) {
      log.error("start-up failed: {}", e.toString(), e);
      exit(1);
    }
  }

  /** Logging is asynchronous: without the flush, the message saying why the process ends would be lost with it. */
  private static void exit(int code) {
    Logging.flush();
    System.exit(code);
  }

  /**
   * Runs every capability's configuration check and the checks across sections; throws one {@link ConfigException}
   * listing all their problems. Start-up calls it before any server starts.
   */
  public static void validate(AppConfig config) {
    List<String> problems = new ArrayList<>();
    for (var check : Modules.configChecks()) {
      try {
        check.accept(config);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    try {
      // Running jobs must be released while the process still has time to tell PostgreSQL, or they stay leased
      // (and unclaimable) until their lease lapses.
      int drain = pharmaops.jobs.JobsConfig.from(config.section("jobs")).drainSeconds();
      if (drain >= config.shutdownDeadlineSeconds()) {
        new ConfigReader("jobs", config.section("jobs"), problems).problem("drainSeconds",
            "must be shorter than shutdown.deadlineSeconds (" + config.shutdownDeadlineSeconds() + "), got " + drain);
      }
    } catch (ConfigException alreadyReported) {
      // the jobs check above listed it
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
  }

  /** Starts a node on a new Vert.x instance; the returned App is serving when the future completes. */
  public static Future<App> start(AppConfig config) {
    try {
      validate(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    VertxOptions options = new VertxOptions().setMetricsOptions(Metrics.options());
    var builder = Vertx.builder().withMetrics(Metrics.factory(registry));
    Future<Vertx> vertx;
    if (config.cluster().enabled()) {
      vertx = builder.with(Cluster.eventBus(options, config.cluster()))
          .withClusterManager(Cluster.manager(config.cluster())).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.with(options).build());
    }
    Promise<App> result = Promise.promise();
    vertx.onFailure(result::fail).onSuccess(v -> {
      App app = new App(v, config);
      app.boot(registry).onComplete(ar -> {
        if (ar.succeeded()) result.complete(app);
        else app.stop().whenComplete((x, e) -> result.fail(ar.cause()));
      });
    });
    return result.future();
  }

  private Future<Void> boot(PrometheusMeterRegistry registry) {
    return vertx.executeBlocking(this::resolveServers)
        .compose(urls -> vertx.executeBlocking(() -> Migrations.migrate(PgConnectOptions.fromUri(urls[0]))).map(urls))
        .compose(urls -> {
          platform = Platform.connect(vertx, config, urls[0], urls[1], registry);
          return startModules();
        })
        .compose(v -> deployHttp())
        .onSuccess(v -> log.info("pharmaops ready {} {} {} {}", kv("port", port.get()), kv("clustered", vertx.isClustered()),
            kv("embeddedPostgres", config.pg().embedded()), kv("embeddedRedis", config.redis().embedded())));
  }

  /** The PostgreSQL and Redis URLs to use: the configured ones, or embedded servers started now. */
  private String[] resolveServers() {
    String pg = config.pg().url();
    String redis = config.redis().url();
    if (config.pg().embedded()) {
      var started = EmbeddedServices.startPostgres(config.dataDir().resolve("pg"), config.pg().embeddedPort());
      embedded.add(started);
      pg = started.url();
    }
    if (config.redis().embedded()) {
      var started = EmbeddedServices.startRedis(config.redis().embeddedPort());
      embedded.add(started);
      redis = started.url();
    }
    log.info("using PostgreSQL {} and Redis {}", kv("pg", AppConfig.redact(pg)), kv("redis", AppConfig.redact(redis)));
    return new String[] {pg, redis};
  }

  private Future<Void> startModules() {
    AuthModule authModule = new AuthModule(platform);
    auth = new Auth(authModule.tokens());
    modules.add(authModule);
    modules.addAll(Modules.all(platform));
    Future<?> chain = Future.succeededFuture();
    for (Module m : modules) {
      chain = chain.compose(v -> m.start().onSuccess(x -> log.info("module started {}", kv("module", m.name()))));
    }
    return chain.mapEmpty();
  }

  private Future<Void> deployHttp() {
    int instances = config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
    List<Routes> routes = List.copyOf(modules);
    return vertx.deployVerticle(() -> new HttpVerticle(platform, auth, routes, port::set, httpGraceMs::get),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> httpDeployment = id)
        .mapEmpty();
  }

  public int port() {
    return port.get();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Platform platform() {
    return platform;
  }

  public AppConfig config() {
    return config;
  }

  /** The running module of this class, for tests and tools that use a capability's public API (its job queue). */
  public <T extends Module> java.util.Optional<T> module(Class<T> type) {
    return modules.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Graceful stop within {@code shutdown.deadlineSeconds}: report DOWN to load balancers and keep serving for
   * {@code shutdown.readinessDelayMs} so they notice; meanwhile and after, drain HTTP (bounded by what is left of
   * the deadline, so a long poll or a WebSocket cannot hold it) and, at the same time, the jobs (claim nothing more,
   * finish or release what runs). Then stop the other modules in reverse order, and close pools and embedded servers.
   * The other modules stop last because running jobs use them (the KYC notifier, the ERP client).
   */
  public synchronized CompletableFuture<Void> stop() {
    // The SIGTERM hook and a caller (a test, a failed start) may both stop the node: one stop, one outcome.
    if (stopping == null) stopping = stopWithDeadline();
    return stopping;
  }

  private CompletableFuture<Void> stopWithDeadline() {
    long deadlineAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownDeadlineSeconds());
    // Kept back for the modules, the pools and Vert.x itself (Hazelcast leaving the cluster).
    long reserveMs = Math.min(3_000, config.shutdownDeadlineSeconds() * 200L);
    if (platform != null) platform.health().startDraining();
    List<Module> reversed = new ArrayList<>(modules);
    Collections.reverse(reversed);
    List<Future<?>> drains = new ArrayList<>();
    for (Module m : reversed) if (Modules.drainsWork(m)) drains.add(stopModule(m));
    drains.add(drainHttp(deadlineAt, reserveMs));
    Future<?> chain = Future.join(drains);
    for (Module m : reversed) {
      if (!Modules.drainsWork(m)) chain = chain.eventually(() -> stopModule(m));
    }
    // Vert.x must be closed from outside its own threads, or the close could never report completion.
    return chain
        .timeout(Math.max(1, remainingMs(deadlineAt) - reserveMs / 2), TimeUnit.MILLISECONDS)
        .onFailure(e -> log.warn("modules did not all stop in time {}", kv("error", e.toString())))
        .eventually(() -> platform == null ? Future.succeededFuture() : platform.close())
        .toCompletionStage().toCompletableFuture()
        .handle((v, e) -> null)
        .thenComposeAsync(v -> vertx.close().toCompletionStage(), ForkJoinPool.commonPool())
        .handle((v, e) -> {
          synchronized (embedded) {
            embedded.forEach(EmbeddedServices.Started::stop);
            embedded.clear();
          }
          return null;
        });
  }

  private Future<?> stopModule(Module m) {
    return m.stop().onFailure(e -> log.warn("module stop failed {} {}", kv("module", m.name()), e.toString()));
  }

  /** Waits the readiness delay (still serving), then closes the listener and gives in-flight requests the rest. */
  private Future<?> drainHttp(long deadlineAt, long reserveMs) {
    if (httpDeployment == null) return Future.succeededFuture();
    Promise<Void> noticed = Promise.promise();
    long delay = config.shutdownReadinessDelayMs();
    if (delay > 0) vertx.setTimer(delay, t -> noticed.complete());
    else noticed.complete();
    return noticed.future().compose(v -> {
      long grace = Math.max(0, remainingMs(deadlineAt) - reserveMs);
      httpGraceMs.set(grace);
      log.info("closing the HTTP listener {} {}", kv("readinessDelayMs", delay), kv("graceMs", grace));
      return vertx.undeploy(httpDeployment);
    });
  }

  private static long remainingMs(long deadlineAt) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineAt - System.nanoTime());
  }

  private void stopWithin(int seconds) {
    log.info("shutting down {}", kv("deadlineSeconds", seconds));
    try {
      stop().get(seconds, TimeUnit.SECONDS);
      log.info("shutdown complete");
    } catch (Exception e) {
      log.warn("shutdown did not complete within the deadline {}", kv("deadlineSeconds", seconds));
    }
    Logging.flush();
  }
}
