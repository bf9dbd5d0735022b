package pharmaops.erp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import pharmaops.support.FakeHttpServer;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.erp.ErpTestSupport.count;
import static pharmaops.erp.ErpTestSupport.outcome;
import static pharmaops.erp.ErpTestSupport.run;
import static pharmaops.erp.ErpTestSupport.runOf;
import static pharmaops.erp.ErpTestSupport.scalar;
import static pharmaops.erp.ErpTestSupport.sourceView;

/**
 * One node syncing three simulated ERPs of the three kinds, as a scenario: first syncs, merge precedence,
 * idempotent reruns, incremental syncs, then faults in one ERP at a time while the others keep working.
 * alpha (json, priority 10) and beta (xml, priority 20) share 150 products; gamma (csv) is disjoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErpSyncIT {
  static Vertx sims;
  static ErpSimulator alpha;
  static ErpSimulator beta;
  static ErpSimulator gamma;
  static FakeHttpServer webhook;
  static final List<String> alerts = new CopyOnWriteArrayList<>();
  static TestApp app;
  static List<SimProduct> a;
  static final String GENERATION = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM catalogue_generation";

  @BeforeAll
  static void start() {
    sims = Vertx.vertx();
    a = new ArrayList<>(SimCatalogue.synthetic(300, 100_000_000L, 1));
    a.addAll(SimCatalogue.invalid(10_001));
    alpha = (ErpSimulator) new ErpSimulator(sims, "json", a).garbage(true).requireToken("alpha-secret").start();
    beta = (ErpSimulator) new ErpSimulator(sims, "xml", SimCatalogue.synthetic(300, 100_000_150L, 2)).variant(" (beta)").start();
    gamma = (ErpSimulator) new ErpSimulator(sims, "csv", SimCatalogue.synthetic(200, 200_000_000L, 3)).garbage(true).start();
    webhook = new FakeHttpServer(sims);
    webhook.router().post("/hook").handler(ctx -> {
      alerts.add(ctx.body().asJsonObject().getString("text"));
      ctx.response().end("ok");
    });
    webhook.start();
    JsonObject erp = new JsonObject()
        .put("sources", new JsonArray()
            .add(ErpTestSupport.source("alpha", "json", alpha, 10, 50, 2).put("tokenEnv", "TEST_ALPHA_TOKEN"))
            .add(ErpTestSupport.source("beta", "xml", beta, 20, 50, 1))
            .add(ErpTestSupport.source("gamma", "csv", gamma, 30, 40, 2)))
        .put("retries", 2).put("backoffMs", 10).put("breakerMaxFailures", 3).put("breakerResetMs", 1500)
        .put("lookbackSeconds", 60).put("alertWebhookEnv", "TEST_ERP_WEBHOOK").put("alertMinIntervalSeconds", 3600);
    app = ErpTestSupport.start(erp, Map.of("TEST_ALPHA_TOKEN", "alpha-secret", "TEST_ERP_WEBHOOK", webhook.baseUrl() + "/hook"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) app.close();
    sims.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void firstSyncCountsEveryRecordExactlyAndQuarantinesTheInvalidOnes() {
    long genBefore = count(app, GENERATION);
    JsonObject run = runOf(app, "alpha");
    assertThat(run.getString("state")).isEqualTo("succeeded");
    JsonObject o = outcome(run, "alpha");
    assertThat(o.getInteger("fetched")).isEqualTo(303);
    assertThat(o.getInteger("inserted")).isEqualTo(300);
    assertThat(o.getInteger("updated")).isZero();
    assertThat(o.getInteger("unchanged")).isZero();
    assertThat(o.getInteger("quarantined")).isEqualTo(3);
    assertThat(count(app, "SELECT count(*) FROM bula")).isEqualTo(300);
    assertThat(scalar(app, "SELECT string_agg(reason, ' | ' ORDER BY reason) FROM erp_quarantine WHERE source = 'alpha'"))
        .contains("bad EAN '1234567890123'").contains("garbage: item is not an object").contains("missing name");
    assertThat(run.getLong("generation")).isGreaterThan(genBefore);
    // the run leaves its rows to the search indexer, which builds their documents and then merges the pending
    // lists: nothing is left for searches to scan, and a synced product is found by its name
    await().atMost(Duration.ofSeconds(15)).during(Duration.ofMillis(1500))
        .until(() -> count(app, "SELECT count(*) FROM search_pending") == 0);
    assertThat(scalar(app, "SELECT search_settle()::text")).isEqualTo("0");
    String id = scalar(app, "SELECT id::text FROM bula WHERE name ~ '^[[:alnum:] ]+$' ORDER BY id LIMIT 1");
    String name = scalar(app, "SELECT name FROM bula WHERE id = " + id);
    var found = app.get("/api/v1/bulas?q=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "&size=50",
        TestApp.ADMIN_TOKEN).json().getJsonArray("items");
    assertThat(found.stream().map(item -> String.valueOf(((JsonObject) item).getLong("id")))).as(name).contains(id);
    // the data-age gauge is refreshed after each run: alpha is fresh now, beta never synced (so it is stale)
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      String metrics = app.get("/metrics", null).body();
      assertThat(metrics).containsPattern("pharmaops_erp_data_age_seconds\\{source=\"alpha\"\\} [0-9.]+(E-?[0-9]+)?\n");
      assertThat(metrics).contains("pharmaops_erp_data_age_seconds{source=\"beta\"}");
    });
  }

  @Test
  @Order(2)
  void aLowerPrecedenceErpAddsItsNewProductsButDoesNotOverwriteTheSharedOnes() {
    JsonObject run = runOf(app, "beta", "gamma");
    assertThat(run.getString("state")).isEqualTo("succeeded");
    JsonObject b = outcome(run, "beta");
    assertThat(List.of(b.getInteger("fetched"), b.getInteger("inserted"), b.getInteger("updated"), b.getInteger("unchanged"),
        b.getInteger("quarantined"))).containsExactly(300, 150, 0, 150, 0);
    JsonObject g = outcome(run, "gamma");
    assertThat(List.of(g.getInteger("fetched"), g.getInteger("inserted"), g.getInteger("updated"), g.getInteger("unchanged"),
        g.getInteger("quarantined"))).containsExactly(201, 200, 0, 0, 1);
    assertThat(count(app, "SELECT count(*) FROM bula")).isEqualTo(650);
    SimProduct shared = a.get(200);
    assertThat(scalar(app, "SELECT name || '/' || source FROM bula WHERE registration = '" + shared.registration + "'"))
        .isEqualTo(shared.name + "/alpha");
    assertThat(count(app, "SELECT count(*) FROM bula WHERE source = 'beta'")).isEqualTo(150);
    // CSV in Latin-1: accents survive the round trip
    assertThat(count(app, "SELECT count(*) FROM bula WHERE source = 'gamma' AND category = 'GENÉRICO'")).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aFullRerunIsIdempotentAndLeavesTheGenerationAlone() {
    // the search indexer builds the documents of earlier runs' rows (and moves the generation) after them: let it finish
    await().atMost(Duration.ofSeconds(15)).during(Duration.ofMillis(1500))
        .until(() -> count(app, "SELECT count(*) FROM search_pending") == 0);
    long genBefore = count(app, GENERATION);
    JsonObject run = run(app, new JsonObject().put("full", true));
    assertThat(run.getString("state")).isEqualTo("succeeded");
    for (String s : List.of("alpha", "beta", "gamma")) {
      JsonObject o = outcome(run, s);
      assertThat(o.getInteger("inserted")).as(s).isZero();
      assertThat(o.getInteger("updated")).as(s).isZero();
    }
    assertThat(outcome(run, "alpha").getInteger("unchanged")).isEqualTo(300);
    assertThat(outcome(run, "beta").getInteger("unchanged")).isEqualTo(300);
    assertThat(outcome(run, "gamma").getInteger("unchanged")).isEqualTo(200);
    assertThat(run.getValue("generation")).isNull();
    assertThat(count(app, GENERATION)).isEqualTo(genBefore);
  }

  @Test
  @Order(4)
  void anIncrementalSyncFetchesOnlyWhatChangedSinceTheCursorMinusTheLookback() {
    Instant cursor = Instant.parse(sourceView(app, "alpha").getString("cursor"));
    int changed = alpha.change(5);
    Instant since = cursor.minusSeconds(60);
    long window = alpha.products().stream().filter(p -> !p.updatedAt.isBefore(since)).count();
    JsonObject o = outcome(runOf(app, "alpha"), "alpha");
    assertThat(changed).isEqualTo(16); // 5% of 302, rounded up
    assertThat(o.getInteger("fetched")).isEqualTo((int) window + 1); // + the garbage item of the first page
    assertThat(o.getInteger("updated")).isEqualTo(changed);
    assertThat(o.getInteger("inserted")).isZero();
    assertThat(o.getInteger("unchanged")).isEqualTo((int) window - changed);
    assertThat(count(app, "SELECT count(*) FROM bula WHERE presentation = 'ALTERADO 1'")).isEqualTo(changed);
    assertThat(Instant.parse(sourceView(app, "alpha").getString("cursor"))).isAfter(cursor);
  }

  @Test
  @Order(5)
  void anErpThatIsDownFailsAloneOpensItsBreakerAndLosesNothing() {
    alpha.faults(FakeHttpServer.Faults.NONE.down(true));
    beta.failPage(2, 2);   // two 500s, then fine: retried
    gamma.resetPage(2, 1); // cut off mid-body once: retried
    JsonObject run = run(app, new JsonObject().put("full", true));
    assertThat(run.getString("state")).isEqualTo("partial");
    assertThat(outcome(run, "alpha").getString("state")).isEqualTo("failed");
    assertThat(outcome(run, "alpha").getString("error")).startsWith("page 1:");
    assertThat(outcome(run, "beta").getString("state")).isEqualTo("succeeded");
    assertThat(outcome(run, "beta").getInteger("unchanged")).isEqualTo(300);
    assertThat(outcome(run, "gamma").getString("state")).isEqualTo("succeeded");
    assertThat(outcome(run, "gamma").getInteger("unchanged")).isEqualTo(200);
    assertThat(count(app, "SELECT count(*) FROM bula")).isEqualTo(650);
    // open, or already half-open when the other ERPs took longer than the reset timeout
    assertThat(sourceView(app, "alpha").getJsonObject("breaker").getString("state")).isIn("OPEN", "HALF_OPEN");
    await().atMost(Duration.ofSeconds(5)).until(() -> alerts.stream().anyMatch(t -> t.contains("breaker of ERP alpha opened")));
    assertThat(alerts).anyMatch(t -> t.contains("run " + run.getLong("id") + " partial") && t.contains("alpha: page 1"));
  }

  @Test
  @Order(6)
  void theBreakerHalfOpensAfterTheResetTimeoutAndClosesWhenTheErpAnswersAgain() {
    alpha.faults(FakeHttpServer.Faults.NONE);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> sourceView(app, "alpha").getJsonObject("breaker").getString("state").equals("HALF_OPEN"));
    JsonObject run = runOf(app, "alpha");
    assertThat(outcome(run, "alpha").getString("state")).isEqualTo("succeeded");
    assertThat(sourceView(app, "alpha").getJsonObject("breaker").getString("state")).isEqualTo("CLOSED");
  }

  @Test
  @Order(7)
  void aMalformedPageStopsOnlyThatErpKeepsItsEarlierPagesAndDoesNotMoveItsCursor() {
    String cursor = sourceView(app, "beta").getString("cursor");
    beta.malformedPage(3, 1000);
    JsonObject run = run(app, new JsonObject().put("full", true).put("sources", new JsonArray().add("beta").add("gamma")));
    beta.malformedPage(3, 0);
    JsonObject b = outcome(run, "beta");
    assertThat(b.getString("state")).isEqualTo("failed");
    assertThat(b.getString("error")).startsWith("page 3:").contains("malformed page");
    assertThat(b.getInteger("pages")).isEqualTo(2);
    assertThat(b.getInteger("fetched")).isEqualTo(100);
    assertThat(outcome(run, "gamma").getString("state")).isEqualTo("succeeded");
    assertThat(sourceView(app, "beta").getString("cursor")).isEqualTo(cursor);
    assertThat(count(app, "SELECT count(*) FROM bula")).isEqualTo(650);
  }

  @Test
  @Order(8)
  void aHangingErpTimesOutWhileASlowOneAndTheOthersCompleteAndRepeatedFailuresDoNotStormTheWebhook() {
    // beta's breaker opened on the persistent malformed page before: let it reach half-open first
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> !sourceView(app, "beta").getJsonObject("breaker").getString("state").equals("OPEN"));
    gamma.faults(FakeHttpServer.Faults.NONE.hang(true));
    beta.faults(FakeHttpServer.Faults.NONE.latency(300)); // slow, but within its timeout
    JsonObject first = run(app, new JsonObject());
    beta.faults(FakeHttpServer.Faults.NONE);
    JsonObject second = run(app, new JsonObject());
    gamma.faults(FakeHttpServer.Faults.NONE);
    assertThat(outcome(first, "gamma").getString("state")).isEqualTo("failed");
    assertThat(outcome(first, "alpha").getString("state")).as(first.encodePrettily()).isEqualTo("succeeded");
    assertThat(outcome(first, "beta").getString("state")).as(first.encodePrettily()).isEqualTo("succeeded");
    assertThat(outcome(second, "gamma").getString("error")).containsIgnoringCase("open");
    assertThat(alerts.stream().filter(t -> t.contains(" partial ")).count()).isEqualTo(1);
  }

  @Test
  @Order(9)
  void aManualRunIsQueuedAsAJobThatSucceedsWithTheRun() {
    var accepted = app.post("/api/v1/sync/runs", TestApp.ADMIN_TOKEN, "{\"sources\": [\"alpha\"]}");
    assertThat(accepted.status()).isEqualTo(202);
    long id = accepted.json().getLong("id");
    assertThat(accepted.header("Location")).isEqualTo("/api/v1/sync/runs/" + id);
    long jobId = accepted.json().getLong("jobId");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.get("/api/v1/jobs/" + jobId, TestApp.ADMIN_TOKEN).json().getString("state").equals("succeeded"));
    JsonObject job = app.get("/api/v1/jobs/" + jobId, TestApp.ADMIN_TOKEN).json();
    assertThat(job.getString("type")).isEqualTo("erp.sync");
    assertThat(job.getJsonObject("result").getLong("runId")).isEqualTo(id);
    JsonObject run = app.get("/api/v1/sync/runs/" + id, TestApp.ADMIN_TOKEN).json();
    assertThat(run.getString("state")).isEqualTo("succeeded");
    assertThat(run.getString("requestedBy")).isEqualTo(job.getString("owner"));
  }

  @Test
  @Order(10)
  void anErpWhoseLastCompleteSyncIsOlderThanTheFreshnessTargetRaisesAnAlert() {
    ErpTestSupport.scalar(app, "UPDATE erp_source_state SET last_success_at = now() - interval '1 day' WHERE source = 'beta' RETURNING source");
    runOf(app, "alpha");
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts.stream().anyMatch(t -> t.contains("ERP beta data is older than 180 min")));
    assertThat(alerts).noneMatch(t -> t.contains("ERP alpha data is older"));
  }

  @Test
  @Order(11)
  void theAdminApiListsSourcesAndPagesRunsAndRejectsBadInput() {
    JsonObject s = sourceView(app, "gamma");
    assertThat(s.fieldNames()).contains("name", "kind", "baseUrl", "breaker", "lastRun", "cursor");
    assertThat(s.getString("kind")).isEqualTo("csv");
    assertThat(s.getJsonObject("lastRun").getString("source")).isEqualTo("gamma");
    var page1 = app.get("/api/v1/sync/runs?size=2", TestApp.ADMIN_TOKEN).json();
    assertThat(page1.getJsonArray("items")).hasSize(2);
    var page2 = app.get("/api/v1/sync/runs?size=2&cursor=" + page1.getString("next"), TestApp.ADMIN_TOKEN).json();
    assertThat(page2.getJsonArray("items").getJsonObject(0).getLong("id"))
        .isLessThan(page1.getJsonArray("items").getJsonObject(1).getLong("id"));
    assertThat(app.post("/api/v1/sync/runs", TestApp.ADMIN_TOKEN, "{\"sources\": [\"nope\"]}").status()).isEqualTo(400);
    assertThat(app.post("/api/v1/sync/runs", TestApp.ADMIN_TOKEN, "{\"full\": \"yes\"}").status()).isEqualTo(400);
    String attendant = app.tokenWithRoles("attendant");
    assertThat(app.get("/api/v1/sync/runs", attendant).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/sync/runs", attendant, "{}").status()).isEqualTo(403);
  }
}
