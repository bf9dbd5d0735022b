package pharmaops.erp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.erp.ErpTestSupport.count;

/** Two nodes on one database, both arming the same ERP schedule: every slot syncs exactly once. */
class ErpScheduleIT {
  static Vertx sims;
  static ErpSimulator erp;
  static TestApp node1;
  static TestApp node2;

  @BeforeAll
  static void start() {
    sims = Vertx.vertx();
    erp = (ErpSimulator) new ErpSimulator(sims, "json", SimCatalogue.synthetic(120, 300_000_000L, 4)).start();
    JsonObject section = new JsonObject().put("sources", new JsonArray()
        .add(ErpTestSupport.source("delta", "json", erp, 10, 50, 2).put("schedule", "@every 2s")));
    node1 = ErpTestSupport.start(section, Map.of());
    AppConfig c1 = node1.app().config();
    JsonObject raw = c1.raw().copy();
    raw.getJsonObject("http").put("port", 0);
    node2 = TestApp.start(AppConfig.from(raw, c1.env()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node2 != null) node2.close();
    if (node1 != null) node1.close();
    sims.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachScheduleSlotRunsOnceAcrossTwoNodesAndOnlyTheFirstSlotWrites() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
        count(node1, "SELECT count(*) FROM erp_sync_run WHERE trigger = 'schedule' AND state = 'succeeded'") >= 3);
    long runs = count(node1, "SELECT count(*) FROM erp_sync_run WHERE trigger = 'schedule'");
    long jobs = count(node1, "SELECT count(*) FROM job WHERE type = 'erp.sync'");
    long slots = count(node1, "SELECT count(DISTINCT unique_key) FROM job WHERE type = 'erp.sync'");
    assertThat(jobs).isEqualTo(slots);
    assertThat(count(node1, "SELECT count(DISTINCT job_id) FROM erp_sync_run WHERE trigger = 'schedule'")).isEqualTo(runs);
    assertThat(runs).isLessThanOrEqualTo(jobs);
    assertThat(count(node1, "SELECT count(*) FROM bula")).isEqualTo(120);
    assertThat(count(node1, "SELECT sum(inserted) FROM erp_sync_outcome")).isEqualTo(120);
    assertThat(count(node1, "SELECT sum(updated) FROM erp_sync_outcome")).isZero();
  }
}
