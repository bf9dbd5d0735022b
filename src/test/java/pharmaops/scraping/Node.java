package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.platform.AppConfig;
import pharmaops.platform.Metrics;
import pharmaops.platform.Platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scraping service on its own Vert.x and platform (as one node would have it) over a given database, for
 * tests that need no HTTP: closing it is a node going away; a second one on the same config is a restart.
 */
final class Node implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Platform platform;
  final ScrapingService service;

  Node(AppConfig config) {
    platform = Platform.connect(vertx, config, config.pg().url(), config.redis().url(), Metrics.newRegistry());
    service = new ScrapingService(platform, ScrapingConfig.from(config), Clock.systemUTC(), null);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Source create(JsonObject spec) {
    List<String> errors = new ArrayList<>();
    SourceSpec s = SourceSpec.parse(spec, "api", errors);
    if (!errors.isEmpty()) throw new IllegalArgumentException(errors.toString());
    long id = await(service.sources().create(s)).orElseThrow();
    return await(service.sources().get(id)).orElseThrow();
  }

  JsonObject run(Source s) {
    return await(service.run(s));
  }

  long count(String sql) {
    return await(platform.pool().query(sql).execute()).iterator().next().getLong(0);
  }

  /** The same configuration (database, Redis prefix) with these {@code scraping} settings merged in. */
  static AppConfig withScraping(AppConfig c, JsonObject scraping) {
    JsonObject raw = c.raw().copy();
    raw.getJsonObject("scraping").mergeIn(scraping, true);
    return new AppConfig(c.http(), c.pg(), c.redis(), c.dataDir(), c.auth(), c.logFormat(), c.shutdownDeadlineSeconds(),
        c.cluster(), c.demo(), raw, c.env());
  }

  /** The same configuration with one more environment variable (secrets such as the Wuzapi token come from there). */
  static AppConfig withEnv(AppConfig c, String k, String v) {
    var env = new java.util.HashMap<>(c.env());
    env.put(k, v);
    return new AppConfig(c.http(), c.pg(), c.redis(), c.dataDir(), c.auth(), c.logFormat(), c.shutdownDeadlineSeconds(),
        c.cluster(), c.demo(), c.raw(), env);
  }

  static JsonObject source(String name, String url, String kind) {
    return new JsonObject().put("name", name).put("url", url).put("kind", kind).put("schedule", "@every 30s")
        .put("ratePerSecond", 50).put("maxConcurrency", 4);
  }

  static JsonArray whatsapp(String... phones) {
    return new JsonArray().add(new JsonObject().put("type", "whatsapp").put("recipients", new JsonArray(List.of((Object[]) phones))));
  }

  /** The node dies: its database goes first, so nothing it still has in flight gets recorded. */
  void kill() {
    await(platform.pool().close());
    close();
  }

  @Override
  public void close() {
    service.close();
    try {
      platform.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the node is going away either way
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
