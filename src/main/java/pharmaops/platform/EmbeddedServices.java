package pharmaops.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL and Redis a node starts for itself when none is configured, so that a new user gets a
 * working demo from one command. PostgreSQL keeps its files under {@code dataDir/pg} and so survives a
 * restart; Redis is a cache and keeps nothing. Both calls block: run them off the event loop.
 */
public final class EmbeddedServices {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);
  public static final String DATABASE = "pharmaops";

  private EmbeddedServices() {}

  /** Starts PostgreSQL on 127.0.0.1 and makes sure database {@value #DATABASE} exists; returns its URL. */
  public static Started<?> startPostgres(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      Integer running = runningPort(dir);
      if (running != null) {
        // Another process of ours (a server while this is an import, or the reverse) owns it: share it.
        log.info("using the embedded PostgreSQL already running on this data directory port={}", running);
        return new Started<>(null, "postgresql://postgres@127.0.0.1:" + running + "/" + DATABASE, () -> { });
      }
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setPort(port == 0 ? freePort() : port)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "200")
          .start();
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
          if (!rs.next()) s.execute("CREATE DATABASE " + DATABASE);
        }
      }
      String url = "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/" + DATABASE;
      log.info("started embedded PostgreSQL (no pg.url configured) port={} dataDir={}", pg.getPort(), dir.toAbsolutePath());
      return new Started<>(pg, url, pg::close);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir.toAbsolutePath(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("embedded PostgreSQL started but cannot create database " + DATABASE, e);
    }
  }

  /** Starts a cache-only Redis (no persistence) on 127.0.0.1; returns its URL. */
  public static Started<RedisServer> startRedis(int port) {
    try {
      int p = port == 0 ? freePort() : port;
      RedisServer redis = RedisServer.newRedisServer()
          .port(p)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .setting("maxmemory 256mb")
          .setting("maxmemory-policy allkeys-lru")
          .onShutdownForceStop(true)
          .build();
      redis.start();
      log.info("started embedded Redis (no redis.url configured) port={}", p);
      return new Started<>(redis, "redis://127.0.0.1:" + p, redis::stop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Redis", e);
    }
  }

  /** A started server, the URL to reach it and how to stop it. */
  public record Started<T>(T server, String url, Stopper stopper) {
    public void stop() {
      try {
        stopper.stop();
      } catch (IOException e) {
        log.warn("stopping embedded server failed: {}", e.toString());
      }
    }
  }

  @FunctionalInterface
  public interface Stopper {
    void stop() throws IOException;
  }

  /** The port of a live postmaster on this data directory (from postmaster.pid), or null. */
  static Integer runningPort(Path dir) {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return null;
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) return null;
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return null;
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return port;
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
