package pharmaops.jobs;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hourly purge keeps the queue table small: old finished jobs and day-old schedule ticks go, the rest stays. */
class JobRetentionIT {
  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("jobs", new JsonObject().put("pollIntervalMs", 200).put("retentionHours", 48)));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static List<Row> sql(String sql) throws Exception {
    var rows = app.app().platform().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return rows.rowCount() == 0 || rows.size() == 0 ? List.of() : java.util.stream.StreamSupport.stream(rows.spliterator(), false).toList();
  }

  @Test
  void purgeDeletesOldFinishedJobsAndDayOldScheduleTicksButKeepsDeadAndRecentOnes() throws Exception {
    sql("""
        INSERT INTO job (type, state, unique_key, finished_at) VALUES
          ('t.old', 'succeeded', null, now() - interval '3 days'),
          ('t.cancelled', 'cancelled', null, now() - interval '3 days'),
          ('t.recent', 'succeeded', null, now() - interval '1 day'),
          ('t.tick', 'succeeded', 'schedule:x:1', now() - interval '25 hours'),
          ('t.tick', 'succeeded', 'schedule:x:2', now() - interval '1 hour'),
          ('t.dead', 'dead', null, now() - interval '30 days')""");
    sql("INSERT INTO job (type) VALUES ('jobs.purge')");
    await().atMost(Duration.ofSeconds(30)).until(() -> sql("SELECT 1 FROM job WHERE type = 'jobs.purge' AND state = 'succeeded'").size() == 1);
    var left = sql("SELECT type || coalesce(':' || unique_key, '') AS k FROM job WHERE type LIKE 't.%' ORDER BY k")
        .stream().map(r -> r.getString("k")).toList();
    assertThat(left).containsExactly("t.dead", "t.recent", "t.tick:schedule:x:2");
    var result = sql("SELECT result FROM job WHERE type = 'jobs.purge'").get(0).getJsonObject("result");
    assertThat(result.getInteger("deleted")).isEqualTo(3);
  }
}
