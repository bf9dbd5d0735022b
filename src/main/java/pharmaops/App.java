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
import pharmaops.platform.EmbeddedServices;
import pharmaops.platform.Logging;
import pharmaops.platform.Metrics;
import pharmaops.platform.Migrations;
import pharmaops.platform.Platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
      System.exit(2);
      return;
    }
    Logging.apply(config.logFormat());
    if (args.length > 0 && !args[0].equals("serve")) {
      System.exit(Commands.run(config, args));
      return;
    }
    try {
      App app = start(config).toCompletionStage().toCompletableFuture().get();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> app.stopWithin(config.shutdownDeadlineSeconds()), "shutdown"));
    } catch (Exception e) {
      log.error("start-up failed: {}", e.getCause() != null ? e.getCause().toString() : e.toString(), e);
      System.exit(1);
    }
  }

  /** Starts a node on a new Vert.x instance; the returned App is serving when the future completes. */
  public static Future<App> start(AppConfig config) {
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
    return vertx.deployVerticle(() -> new HttpVerticle(platform, auth, routes, port::set),
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

  /**
   * Graceful stop: report DOWN to load balancers, stop accepting HTTP and drain it, stop the modules in
   * reverse order (they release or finish their work), then close pools and embedded servers.
   */
  public CompletableFuture<Void> stop() {
    if (platform != null) platform.health().startDraining();
    Future<?> chain = httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment);
    List<Module> reversed = new ArrayList<>(modules);
    Collections.reverse(reversed);
    for (Module m : reversed) {
      chain = chain.eventually(() -> m.stop().onFailure(e -> log.warn("module stop failed {} {}", kv("module", m.name()), e.toString())));
    }
    // Vert.x must be closed from outside its own threads, or the close could never report completion.
    return chain
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
