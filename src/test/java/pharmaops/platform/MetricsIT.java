package pharmaops.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.jobs.JobType;
import pharmaops.jobs.JobsModule;
import pharmaops.jobs.NewJob;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After a request, a cache hit and a job, {@code /metrics} carries the series the dashboards and alerts use. */
class MetricsIT {
  @Test
  void metricsCarryHttpLatencyByRouteBreakerStateQueueDepthJobWaitAndCacheOutcomes() throws Exception {
    try (TestApp app = TestApp.start(new JsonObject().put("jobs", new JsonObject().put("statsIntervalSeconds", 1)))) {
      String attendant = app.tokenWithRoles("attendant");
      // the second, identical search is a cache hit (the first one's outcome depends on Redis answering in time)
      for (int i = 0; i < 2; i++) {
        var r = app.get("/api/v1/bulas?q=dipirona", attendant);
        assertThat(r.status()).as("search: %s", r).isEqualTo(200);
      }

      var queue = app.app().module(JobsModule.class).orElseThrow().queue();
      queue.register(JobType.of("test.metrics"), job -> Future.succeededFuture(new JsonObject()));
      long ran = result(queue.enqueue(NewJob.of("test.metrics", new JsonObject())));
      // no handler anywhere: it stays queued, so the depth gauge has something to count
      result(queue.enqueue(NewJob.of("test.unclaimed", new JsonObject())));
      await("the job ran").atMost(Duration.ofSeconds(30))
          .until(() -> "succeeded".equals(app.get("/api/v1/jobs/" + ran, TestApp.ADMIN_TOKEN).json().getString("state")));

      await("the queue-depth gauge was refreshed").atMost(Duration.ofSeconds(30))
          .until(() -> scrape(app).contains("pharmaops_jobs_queued{type=\"test.unclaimed\"} 1.0"));
      String metrics = scrape(app);
      assertThat(metrics).containsPattern(series("vertx_http_server_response_time_seconds_bucket", "route=\"[^\"]*/bulas\""));
      assertThat(metrics).containsPattern(series("pharmaops_breaker_state", "breaker=\"redis\""));
      assertThat(metrics).containsPattern(series("pharmaops_jobs_wait_seconds_bucket", "type=\"test.metrics\""));
      assertThat(metrics).containsPattern(series("pharmaops_cache_requests_total", "cache=\"bulas\",result=\"hit(_local)?\""));
    }
  }

  /** A sample line of {@code name} whose labels include {@code label} (a regex), with a value. */
  private static Pattern series(String name, String label) {
    return Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "[^}]*} \\S+$");
  }

  private static String scrape(TestApp app) {
    var m = app.get("/metrics", null);
    assertThat(m.status()).isEqualTo(200);
    return m.body();
  }

  private static <T> T result(Future<java.util.Optional<T>> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
  }
}
