package pharmaops.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.jobs.JobType;
import pharmaops.jobs.JobsModule;
import pharmaops.jobs.NewJob;
import pharmaops.support.NodeProcess;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GracefulShutdownIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void sigtermDrainsAndExitsWithinTheDeadline() throws Exception {
    var dataDir = Files.createTempDirectory("pharmaops-shutdown");
    try (NodeProcess node = NodeProcess.start("shutdown", TestServices.freshDatabase(), TestServices.redisUrl(), dataDir,
        Map.of("PHARMAOPS_REDIS_KEY_PREFIX", TestServices.redisPrefix(), "PHARMAOPS_SHUTDOWN_DEADLINE_SECONDS", "10",
            "PHARMAOPS_JOBS_DRAIN_SECONDS", "5"))) {
      var live = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/health/live"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);

      long start = System.nanoTime();
      int exit = node.terminate(Duration.ofSeconds(20));
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(exit).as("exit code after SIGTERM (log:%n%s)", node.log()).isEqualTo(143);
      assertThat(tookMs).as("shutdown must respect the 10 s deadline").isLessThan(15_000);
      assertThat(node.log()).contains("shutting down").contains("shutdown complete");
    }
  }

  @Test
  void aDrainTimeNotShorterThanTheDeadlineStopsTheNodeAtStartWithExitCode2() throws Exception {
    var dataDir = Files.createTempDirectory("pharmaops-shutdown-bad");
    NodeProcess node = NodeProcess.startExpectingExit("shutdown-bad", TestServices.freshDatabase(), TestServices.redisUrl(),
        dataDir, Map.of("PHARMAOPS_SHUTDOWN_DEADLINE_SECONDS", "10", "PHARMAOPS_JOBS_DRAIN_SECONDS", "10",
            "PHARMAOPS_SEARCH_MAX_PAGE_SIZE", "0"), Duration.ofSeconds(60));
    assertThat(node.exitCode()).as("log:%n%s", node.log()).isEqualTo(2);
    assertThat(node.log()).contains("jobs.drainSeconds: must be shorter than shutdown.deadlineSeconds (10)")
        .contains("search.maxPageSize").doesNotContain("using PostgreSQL");
  }

  /**
   * Stops a node while a request waits on a row lock, a WebSocket stays open, one job finishes during the drain
   * and one never would: the request is answered, the first job succeeds, the second goes back to the queue with
   * no lease, readiness said DOWN before the listener closed, and the stop ends within the deadline.
   */
  @Test
  void stopAnswersInFlightRequestsAndFinishesOrReleasesRunningJobsWithinTheDeadline() throws Exception {
    TestApp node = TestApp.start(new JsonObject()
        .put("shutdown", new JsonObject().put("deadlineSeconds", 10).put("readinessDelayMs", 2000))
        .put("jobs", new JsonObject().put("drainSeconds", 4).put("pollIntervalMs", 200)));
    CompletableFuture<Void> stopped = null;
    try (Connection db = connect(node)) {
      CountDownLatch running = new CountDownLatch(2);
      AtomicReference<Runnable> finish = new AtomicReference<>();
      var queue = node.app().module(JobsModule.class).orElseThrow().queue();
      queue.register(JobType.of("test.finishes").concurrency(1), job -> {
        Context ctx = Vertx.currentContext();
        Promise<JsonObject> done = Promise.promise();
        finish.set(() -> ctx.runOnContext(v -> done.complete(new JsonObject().put("finished", true))));
        running.countDown();
        return done.future();
      });
      queue.register(JobType.of("test.never").concurrency(1), job -> {
        running.countDown();
        return Promise.<JsonObject>promise().future();
      });
      long finishes = result(queue.enqueue(NewJob.of("test.finishes", new JsonObject()))).orElseThrow();
      long never = result(queue.enqueue(NewJob.of("test.never", new JsonObject()))).orElseThrow();
      assertThat(running.await(30, TimeUnit.SECONDS)).as("both jobs started").isTrue();

      WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
          URI.create("ws://127.0.0.1:" + node.port() + "/ws/jobs?access_token=" + TestApp.ADMIN_TOKEN),
          new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);

      // A request that cannot finish until the test lets it: its UPDATE waits on a row this transaction locks.
      long dead = deadJob(db);
      db.setAutoCommit(false);
      db.createStatement().execute("SELECT id FROM job WHERE id = " + dead + " FOR UPDATE");
      var slow = HTTP.sendAsync(node.request("/api/v1/jobs/" + dead + "/retry", TestApp.ADMIN_TOKEN)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLocks(node) > 0);

      long start = System.nanoTime();
      stopped = node.app().stop();
      finish.get().run();
      var ready = node.get("/health/ready", null);
      assertThat(ready.status()).as("readiness while the listener is still open: %s", ready).isEqualTo(503);
      assertThat(ready.json().getBoolean("draining")).isTrue();

      db.commit();
      var answered = slow.get(10, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as("the in-flight request: %s", answered.body()).isEqualTo(200);

      stopped.get(15, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).as("stop must respect the 10 s deadline").isLessThan(12_000);
      await("the server closes the WebSocket").atMost(Duration.ofSeconds(5)).until(ws::isInputClosed);

      db.setAutoCommit(true);
      assertThat(jobRow(db, finishes)).isEqualTo("succeeded locked=false lease=false");
      assertThat(jobRow(db, never)).isEqualTo("queued locked=false lease=false");
    } finally {
      if (stopped == null) node.close();
    }
  }

  private static <T> T result(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long deadJob(Connection db) throws SQLException {
    try (ResultSet rs = db.createStatement().executeQuery("INSERT INTO job (type, state, attempts, error, finished_at) "
        + "VALUES ('test.idle', 'dead', 3, 'gave up', now()) RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int waitingOnLocks(TestApp node) throws SQLException {
    try (Connection c = connect(node);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
             + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String jobRow(Connection db, long id) throws SQLException {
    try (ResultSet rs = db.createStatement().executeQuery(
        "SELECT state, locked_by IS NOT NULL, lease_until IS NOT NULL FROM job WHERE id = " + id)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1) + " locked=" + rs.getBoolean(2) + " lease=" + rs.getBoolean(3);
    }
  }

  private static Connection connect(TestApp node) throws SQLException {
    URI pg = URI.create(node.app().config().pg().url());
    return DriverManager.getConnection("jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + pg.getPath(), "postgres", "");
  }
}
