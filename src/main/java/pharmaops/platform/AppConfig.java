package pharmaops.platform;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated configuration of one node. Capabilities read their own section with
 * {@link #section(String)} and validate it in their own config record.
 *
 * @param env the process environment, kept so that secrets (tokens, ERP passwords, webhook URLs) are
 *            read from variables whose names the file gives, never from the file itself
 */
public record AppConfig(
    Http http, Pg pg, RedisConf redis, Path dataDir, Auth auth, String logFormat, int shutdownDeadlineSeconds,
    Cluster cluster, Demo demo, JsonObject raw, Map<String, String> env) {

  public record Http(String host, int port, int instances, long bodyLimitBytes, int idleTimeoutSeconds) {}

  /** @param url empty means: start the embedded PostgreSQL under {@code dataDir/pg} */
  public record Pg(String url, int poolSize, int embeddedPort) {
    public boolean embedded() {
      return url.isEmpty();
    }
  }

  /** @param url empty means: start the embedded Redis */
  public record RedisConf(String url, int poolSize, String keyPrefix, int timeoutMs, int embeddedPort) {
    public boolean embedded() {
      return url.isEmpty();
    }
  }

  /** @param adminToken the bootstrap admin token from {@code PHARMAOPS_ADMIN_TOKEN}, if set */
  public record Auth(int tokenCacheSeconds, Optional<String> adminToken) {}

  /**
   * Clustered event bus (Hazelcast). Members are found by a TCP list, never multicast.
   *
   * @param host       address this node binds for Hazelcast and the event bus
   * @param publicHost address other nodes use to reach this one (empty = host), e.g. the container name
   * @param members    {@code host:port} of Hazelcast members to join
   */
  public record Cluster(boolean enabled, String name, String host, String publicHost, int hazelcastPort,
                        int eventBusPort, java.util.List<String> members) {}

  /** @param anvisaCsv an ANVISA open-data CSV to import into an empty catalogue at first start */
  public record Demo(boolean seed, String anvisaCsv, String leafletDir) {}

  /** Loads the file and environment of this process. */
  public static AppConfig load(Map<String, String> env) {
    return from(ConfigLoader.overlay(ConfigLoader.readFile(env), env), env);
  }

  /** Validates an already-merged document; throws {@link ConfigException} listing every bad value. */
  public static AppConfig from(JsonObject json, Map<String, String> env) {
    ConfigReader root = ConfigReader.root(json);
    ConfigReader h = root.section("http");
    var http = new Http(h.string("host", "0.0.0.0"), h.intIn("port", 8080, 0, 65535),
        h.intIn("instances", 0, 0, 64), h.longIn("bodyLimitBytes", 1 << 20, 1024, 1L << 30),
        h.intIn("idleTimeoutSeconds", 120, 0, 86_400));

    ConfigReader p = root.section("pg");
    var pg = new Pg(p.string("url", ""), p.intIn("poolSize", 8, 1, 256), p.intIn("embeddedPort", 0, 0, 65535));
    if (!pg.embedded()) checkUri(p, "url", pg.url(), Set.of("postgresql", "postgres"));

    ConfigReader r = root.section("redis");
    var redis = new RedisConf(r.string("url", ""), r.intIn("poolSize", 16, 1, 1024), r.string("keyPrefix", "pharmaops:"),
        r.intIn("timeoutMs", 250, 10, 60_000), r.intIn("embeddedPort", 0, 0, 65535));
    if (!redis.embedded()) checkUri(r, "url", redis.url(), Set.of("redis", "rediss"));

    String dataDir = root.string("dataDir", "data");
    if (dataDir.isEmpty()) root.problem("dataDir", "must not be empty");

    ConfigReader a = root.section("auth");
    String adminToken = env.getOrDefault("PHARMAOPS_ADMIN_TOKEN", "").trim();
    if (!adminToken.isEmpty() && adminToken.length() < 16) {
      root.problems().add("PHARMAOPS_ADMIN_TOKEN: must be at least 16 characters long");
    }
    var auth = new Auth(a.intIn("tokenCacheSeconds", 30, 0, 3600),
        adminToken.isEmpty() ? Optional.empty() : Optional.of(adminToken));

    String logFormat = root.section("log").oneOf("format", "text", Set.of("text", "json"));
    ConfigReader sd = root.section("shutdown");
    int deadline = sd.intIn("deadlineSeconds", 30, 1, 3600);
    if (readinessDelayMs(sd) >= deadline * 1000L) {
      sd.problem("readinessDelayMs", "must be shorter than shutdown.deadlineSeconds (" + deadline + " s)");
    }

    ConfigReader c = root.section("cluster");
    var cluster = new Cluster(c.bool("enabled", false), c.string("name", "pharmaops"), c.string("host", "127.0.0.1"),
        c.string("publicHost", ""), c.intIn("hazelcastPort", 5701, 1, 65535), c.intIn("eventBusPort", 0, 0, 65535),
        c.strings("members", java.util.List.of()));
    for (String m : cluster.members()) {
      if (!m.matches("[A-Za-z0-9._-]+(:\\d{1,5})?")) c.problem("members", "each member must be host or host:port, got '" + m + "'");
    }
    if (cluster.enabled() && cluster.name().isEmpty()) c.problem("name", "must not be empty");

    ConfigReader d = root.section("demo");
    var demo = new Demo(d.bool("seed", true), d.string("anvisaCsv", ""), d.string("leafletDir", ""));

    root.failOnProblems();
    return new AppConfig(http, pg, redis, Path.of(dataDir), auth, logFormat, deadline, cluster, demo, json,
        Map.copyOf(env));
  }

  /**
   * Graceful stop: how long the node reports DOWN on {@code /health/ready} while still serving, before it closes
   * its listener, so that load balancers see it leave before connections are refused. Read from {@link #raw}
   * (validated by {@link #from}) rather than held as a component, so the record's shape stays as it was.
   */
  public int shutdownReadinessDelayMs() {
    return readinessDelayMs(ConfigReader.root(raw).section("shutdown"));
  }

  private static int readinessDelayMs(ConfigReader shutdown) {
    return shutdown.intIn("readinessDelayMs", 1500, 0, 60_000);
  }

  /** The raw JSON of a capability's section (empty when absent). */
  public JsonObject section(String name) {
    JsonObject s = raw.getJsonObject(name);
    return s == null ? new JsonObject() : s;
  }

  /** The value of a secret environment variable named by configuration, if set and not blank. */
  public Optional<String> secret(String envName) {
    if (envName == null || envName.isBlank()) return Optional.empty();
    String v = env.get(envName);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  private static void checkUri(ConfigReader section, String key, String value, Set<String> schemes) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
        section.problem(key, "must look like " + schemes.iterator().next() + "://host:port/..., got '" + redact(value) + "'");
      }
    } catch (Exception e) {
      section.problem(key, "is not a valid URL: '" + redact(value) + "'");
    }
  }

  /** Hides a password in a URL before it reaches a log or an error message. */
  public static String redact(String url) {
    return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
  }
}
