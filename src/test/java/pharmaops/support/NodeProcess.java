package pharmaops.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pharmaops node as a separate JVM (the real {@code main}), for tests that kill nodes or send SIGTERM:
 * what an in-process {@link TestApp} cannot show. Its output goes to {@code target/nodes/<name>.log}.
 */
public final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private NodeProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a node on a free HTTP port with the given PostgreSQL/Redis and extra environment
   * ({@code PHARMAOPS_*} variables, as documented in the README), and waits until it is ready.
   */
  public static NodeProcess start(String name, String pgUrl, String redisUrl, Path dataDir, Map<String, String> extraEnv) {
    NodeProcess node = launch(name, pgUrl, redisUrl, dataDir, extraEnv);
    node.awaitReady(Duration.ofSeconds(180));
    return node;
  }

  /**
   * Starts a node that is expected not to come up (a bad configuration) and waits for it to exit; returns the
   * node, whose {@link #exitCode()} and {@link #log()} say how it ended, or fails if it still runs after {@code max}.
   */
  public static NodeProcess startExpectingExit(String name, String pgUrl, String redisUrl, Path dataDir,
                                               Map<String, String> extraEnv, Duration max) {
    NodeProcess node = launch(name, pgUrl, redisUrl, dataDir, extraEnv);
    if (node.waitFor(max) == -1) {
      node.kill();
      throw new IllegalStateException("node " + name + " still ran after " + max + ":\n" + node.tail());
    }
    return node;
  }

  /** The exit code of a node that has exited. */
  public int exitCode() {
    return process.exitValue();
  }

  private static NodeProcess launch(String name, String pgUrl, String redisUrl, Path dataDir, Map<String, String> extraEnv) {
    try {
      int port = freePort();
      Path log = Path.of("target", "nodes", name + ".log");
      Files.createDirectories(log.getParent());
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.management/sun.management=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          // main logging (to stdout), not the test tree's logback-test.xml that the classpath also holds
          "-Dlogback.configurationFile=logback.xml",
          "-cp", System.getProperty("java.class.path"), "pharmaops.App"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("PHARMAOPS_") || k.equals("PG_URL") || k.equals("REDIS_URL"));
      Map<String, String> base = new HashMap<>(Map.of(
          "PHARMAOPS_PG_URL", pgUrl, "PHARMAOPS_REDIS_URL", redisUrl, "PHARMAOPS_HTTP_PORT", Integer.toString(port),
          "PHARMAOPS_HTTP_HOST", "127.0.0.1", "PHARMAOPS_HTTP_INSTANCES", "1", "PHARMAOPS_PG_POOL_SIZE", "4",
          "PHARMAOPS_DATA_DIR", dataDir.toString(), "PHARMAOPS_DEMO_SEED", "false",
          "PHARMAOPS_ADMIN_TOKEN", TestApp.ADMIN_TOKEN, "PHARMAOPS_SHUTDOWN_READINESS_DELAY_MS", "0"));
      base.putAll(extraEnv);
      env.putAll(base);
      return new NodeProcess(name, pb.start(), port, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node " + name, e);
    }
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String name() {
    return name;
  }

  /** False once the process has exited (killed by a test, or crashed). */
  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL: the JVM dies at once, as in a crash or an OOM kill; nothing of its shutdown runs. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM, then waits; returns the exit code, or -1 if it was still running after {@code max}. */
  public int terminate(Duration max) {
    process.destroy();
    return waitFor(max);
  }

  private int waitFor(Duration max) {
    try {
      return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void awaitReady(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("node " + name + " exited at start:\n" + tail());
      try {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/health/ready"))).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    process.destroyForcibly();
    throw new IllegalStateException("node " + name + " not ready after " + max + ":\n" + tail());
  }

  private String tail() {
    String all = log();
    return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (waitFor(Duration.ofSeconds(20)) == -1) kill();
    }
  }
}
