package pharmaops.support;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigLoader;
import pharmaops.platform.EmbeddedServices;
import pharmaops.platform.Migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL and Redis for integration tests: the ones on 127.0.0.1 (5432, 6379) when they answer,
 * else embedded ones started once per JVM. Each test class gets its own database, cloned from a template
 * migrated once per run, and its own Redis key prefix, so classes (and parallel checkouts) never see each
 * other's data. Databases of this run are dropped when the JVM exits; ones left by killed runs older than
 * six hours are dropped at the next start.
 */
public final class TestServices {
  private static final Logger log = LoggerFactory.getLogger(TestServices.class);
  private static final String RUN = Long.toString(System.currentTimeMillis() / 1000) + "_" + ThreadLocalRandom.current().nextInt(1000, 9999);
  private static final AtomicInteger DB_SEQ = new AtomicInteger();
  private static final List<String> CREATED = new ArrayList<>();
  private static String pgHostPort;
  private static String redisUrl;
  private static String template;

  private TestServices() {}

  /** A new, fully migrated database for one test class; returns its {@code postgresql://} URL. */
  public static synchronized String freshDatabase() {
    init();
    String name = "pharmaops_t_" + RUN + "_" + DB_SEQ.incrementAndGet();
    admin("CREATE DATABASE " + name + " TEMPLATE " + template);
    CREATED.add(name);
    return "postgresql://postgres@" + pgHostPort + "/" + name;
  }

  public static synchronized String redisUrl() {
    init();
    return redisUrl;
  }

  /** A key prefix no other test class uses. */
  public static String redisPrefix() {
    return "t" + RUN + ":" + DB_SEQ.incrementAndGet() + ":";
  }

  /**
   * conf/config.json with a fresh database, the test Redis, a temporary data directory, one HTTP instance
   * on a free port, the demo seed off, and {@code overrides} merged on top (deeply).
   */
  public static AppConfig config(JsonObject overrides) {
    JsonObject file = ConfigLoader.readFile(Map.of());
    try {
      Path dataDir = Files.createTempDirectory("pharmaops-test");
      dataDir.toFile().deleteOnExit();
      file.getJsonObject("http").put("port", 0).put("instances", 1).put("host", "127.0.0.1");
      file.getJsonObject("pg").put("url", freshDatabase()).put("poolSize", 4);
      file.getJsonObject("redis").put("url", redisUrl()).put("keyPrefix", redisPrefix());
      file.put("dataDir", dataDir.toString());
      file.getJsonObject("demo").put("seed", false);
      // no load balancer to tell: a stopping test node closes its listener at once
      file.getJsonObject("shutdown").put("readinessDelayMs", 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    deepMerge(file, overrides);
    Map<String, String> env = new HashMap<>();
    env.put("PHARMAOPS_ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
    return AppConfig.from(file, env);
  }

  static void deepMerge(JsonObject into, JsonObject from) {
    for (String k : from.fieldNames()) {
      Object v = from.getValue(k);
      if (v instanceof JsonObject o && into.getValue(k) instanceof JsonObject target) deepMerge(target, o);
      else into.put(k, v);
    }
  }

  private static void init() {
    if (template != null) return;
    pgHostPort = answers("127.0.0.1", 5432) && canLogin("127.0.0.1:5432") ? "127.0.0.1:5432" : startEmbeddedPostgres();
    redisUrl = redisAnswers(6379) ? "redis://127.0.0.1:6379" : startEmbeddedRedis();
    dropStaleDatabases();
    template = "pharmaops_tpl_" + RUN;
    admin("CREATE DATABASE " + template);
    CREATED.add(template);
    Migrations.migrate(PgConnectOptions.fromUri("postgresql://postgres@" + pgHostPort + "/" + template));
    Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropCreated, "drop-test-databases"));
    log.info("test services ready pg={} redis={} template={}", pgHostPort, redisUrl, template);
  }

  private static String startEmbeddedPostgres() {
    try {
      Path dir = Files.createTempDirectory("pharmaops-test-pg");
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
          .setServerConfig("max_connections", "300").start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is exiting anyway
        }
      }));
      log.info("no PostgreSQL on 127.0.0.1:5432: started an embedded one on port {}", pg.getPort());
      return "127.0.0.1:" + pg.getPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL for tests", e);
    }
  }

  private static String startEmbeddedRedis() {
    var started = EmbeddedServices.startRedis(0);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    log.info("no Redis on 127.0.0.1:6379: started an embedded one at {}", started.url());
    return started.url();
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean canLogin(String hostPort) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres?connectTimeout=3", "postgres", "")) {
      return c.isValid(3);
    } catch (SQLException e) {
      log.warn("PostgreSQL on {} refuses user postgres without password ({}); using an embedded one", hostPort, e.getMessage());
      return false;
    }
  }

  private static boolean redisAnswers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pgHostPort + "/postgres", "postgres", "");
         Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static void dropStaleDatabases() {
    long cutoff = System.currentTimeMillis() / 1000 - 6 * 3600;
    List<String> stale = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pgHostPort + "/postgres", "postgres", "");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname ~ '^pharmaops_t(pl)?_[0-9]+_'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        String[] parts = name.split("_");
        if (Long.parseLong(parts[2]) < cutoff) stale.add(name);
      }
    } catch (SQLException | NumberFormatException e) {
      log.warn("could not list stale test databases: {}", e.toString());
    }
    for (String name : stale) {
      try {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (IllegalStateException e) {
        log.warn("could not drop stale test database {}: {}", name, e.getMessage());
      }
    }
  }

  private static synchronized void dropCreated() {
    for (int i = CREATED.size() - 1; i >= 0; i--) {
      try {
        admin("DROP DATABASE IF EXISTS " + CREATED.get(i) + " WITH (FORCE)");
      } catch (IllegalStateException e) {
        // best effort at exit; the next run drops what is left
      }
    }
  }
}
