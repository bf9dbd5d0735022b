package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import pharmaops.platform.AppConfig;
import pharmaops.platform.Cluster;
import pharmaops.support.FakeHttpServer;
import pharmaops.support.TestApp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.erp.ErpTestSupport.count;
import static pharmaops.erp.ErpTestSupport.outcome;
import static pharmaops.erp.ErpTestSupport.run;
import static pharmaops.erp.ErpTestSupport.runOf;
import static pharmaops.erp.ErpTestSupport.scalar;

/**
 * What crashes, timeouts and several nodes do to ERP runs, on one clustered node: a retried job resumes its own
 * run, runs nobody will finish are closed, committed changes move the search generation even when the run that
 * wrote them died, a run executing twice on one node is joined, a sync job runs on its own node's worker,
 * oversized pages fail cleanly, and an alert raised by several nodes is sent once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErpRecoveryIT {
  static final int PRODUCTS = 120;
  static final String GENERATION = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM catalogue_generation";
  static Vertx sims;
  static ErpSimulator alpha;
  static ErpSimulator big;
  static TestApp app;

  @BeforeAll
  static void start() {
    sims = Vertx.vertx();
    alpha = (ErpSimulator) new ErpSimulator(sims, "json", SimCatalogue.synthetic(PRODUCTS, 400_000_000L, 7)).start();
    big = (ErpSimulator) new ErpSimulator(sims, "json", SimCatalogue.synthetic(40, 410_000_000L, 8)).start();
    JsonObject erp = new JsonObject().put("sources", new JsonArray()
            // held requests must not time out: the tests release them
            .add(ErpTestSupport.source("alpha", "json", alpha, 10, 50, 1).put("timeoutMs", 60_000))
            .add(ErpTestSupport.source("big", "json", big, 20, 40, 1).put("maxPageBytes", 2048)))
        .put("retries", 2).put("backoffMs", 10);
    JsonObject cluster = new JsonObject().put("enabled", true).put("name", "pharmaops-erp-it-" + System.nanoTime())
        .put("host", "127.0.0.1").put("hazelcastPort", 15841).put("members", new JsonArray().add("127.0.0.1:15841").add("127.0.0.1:15842"));
    app = ErpTestSupport.startWith(new JsonObject().put("erp", erp).put("cluster", cluster), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) app.close();
    sims.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static <T> T result(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void eachNodesSyncJobsRunOnItsOwnWorkerEvenWhenAnotherNodeListensOnTheAddress() throws Exception {
    assertThat(app.app().vertx().isClustered()).isTrue();
    // another cluster member with a cluster-wide consumer on the address (an older node, a stray tool)
    JsonObject raw = app.app().config().raw().copy();
    raw.getJsonObject("cluster").put("hazelcastPort", 15842);
    AppConfig.Cluster c = AppConfig.from(raw, app.app().config().env()).cluster();
    Vertx other = Vertx.builder().with(Cluster.eventBus(new VertxOptions(), c)).withClusterManager(Cluster.manager(c))
        .buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    AtomicInteger stolen = new AtomicInteger();
    try {
      result(other.eventBus().<JsonObject>consumer(ErpEvents.EXECUTE, m -> {
        stolen.incrementAndGet();
        m.reply(new JsonObject().put("id", m.body().getLong("runId")).put("state", "elsewhere"));
      }).completion());
      // a cluster-wide send from this node finds only the other member: this node's worker is not in the registry
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().pollInterval(Duration.ofMillis(200)).until(() ->
          result(app.app().vertx().eventBus().<JsonObject>request(ErpEvents.EXECUTE, new JsonObject().put("runId", -1)))
              .body().getString("state").equals("elsewhere"));
      int probes = stolen.get();
      JsonObject first = runOf(app, "alpha");
      assertThat(first.getString("state")).isEqualTo("succeeded");
      assertThat(outcome(first, "alpha").getInteger("inserted")).isEqualTo(PRODUCTS);
      for (int i = 0; i < 3; i++) assertThat(runOf(app, "alpha").getString("state")).isEqualTo("succeeded");
      assertThat(stolen.get()).as("runs handed to the other member").isEqualTo(probes);
    } finally {
      other.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(2)
  void pagesCommittedByARunThatDiedStillMoveTheGenerationOnTheNextRun() throws Exception {
    alpha.change(10);
    // the dead attempt: its pages were written, then the node died before closing the run
    List<Product> changed = productsServedBy(alpha, "alpha");
    var counts = result(new CatalogueUpsert(app.app().platform().pool()).write("alpha", 10, 0, changed, List.of()));
    assertThat(counts.updated()).isPositive();
    long before = count(app, GENERATION);
    JsonObject run = runOf(app, "alpha");
    JsonObject o = outcome(run, "alpha");
    assertThat(o.getInteger("inserted") + o.getInteger("updated")).as("the retry finds nothing to change").isZero();
    assertThat(run.getLong("generation")).as("but the generation moves: the cache must not keep the old rows").isNotNull();
    assertThat(count(app, GENERATION)).isGreaterThan(before);
    assertThat(scalar(app, "SELECT dirty::text FROM erp_source_state WHERE source = 'alpha'")).isEqualTo("false");
  }

  @Test
  @Order(3)
  void aScheduledJobRetriedAfterACrashResumesItsOwnRunAndReclaimsItsErp() {
    // what a node that died mid-run leaves behind: the job back in the queue, its run running, the ERP claimed
    String[] ids = scalar(app, "WITH j AS (INSERT INTO job (type, payload, attempts)"
        + " VALUES ('erp.sync', '{\"sources\": [\"alpha\"], \"full\": false}', 1) RETURNING id),"
        + " r AS (INSERT INTO erp_sync_run (trigger, full_sync, sources, job_id, state, started_at)"
        + " SELECT 'schedule', false, '{alpha}', id, 'running', now() FROM j RETURNING id),"
        + " c AS (UPDATE erp_source_state SET running_run = (SELECT id FROM r), running_until = now() + interval '10 minutes'"
        + " WHERE source = 'alpha' RETURNING source)"
        + " SELECT (SELECT id FROM j) || ',' || (SELECT id FROM r) || ',' || (SELECT count(*) FROM c)").split(",");
    long job = Long.parseLong(ids[0]);
    long runId = Long.parseLong(ids[1]);
    assertThat(ids[2]).isEqualTo("1");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
        app.get("/api/v1/jobs/" + job, TestApp.ADMIN_TOKEN).json().getString("state").equals("succeeded"));
    assertThat(app.get("/api/v1/jobs/" + job, TestApp.ADMIN_TOKEN).json().getJsonObject("result").getLong("runId")).isEqualTo(runId);
    assertThat(count(app, "SELECT count(*) FROM erp_sync_run WHERE job_id = " + job)).isEqualTo(1);
    JsonObject run = app.get("/api/v1/sync/runs/" + runId, TestApp.ADMIN_TOKEN).json();
    assertThat(run.getString("state")).isEqualTo("succeeded");
    assertThat(outcome(run, "alpha").getString("state")).isEqualTo("succeeded");
    assertThat(scalar(app, "SELECT coalesce(running_run::text, 'free') FROM erp_source_state WHERE source = 'alpha'")).isEqualTo("free");
  }

  @Test
  @Order(4)
  void aRunWhoseEveryErpWasSkippedHasFailedNotSucceeded() {
    long other = Long.parseLong(scalar(app, "INSERT INTO erp_sync_run (trigger, full_sync, state) VALUES ('manual', false, 'running') RETURNING id"));
    scalar(app, "UPDATE erp_source_state SET running_run = " + other + ", running_until = now() + interval '10 minutes'"
        + " WHERE source = 'alpha' RETURNING source");
    try {
      JsonObject run = runOf(app, "alpha");
      assertThat(outcome(run, "alpha").getString("state")).isEqualTo("skipped");
      assertThat(run.getString("state")).isEqualTo("failed");
      assertThat(run.getString("error")).contains("nothing synced");
    } finally {
      scalar(app, "UPDATE erp_source_state SET running_run = NULL, running_until = NULL WHERE source = 'alpha' RETURNING source");
      scalar(app, "UPDATE erp_sync_run SET state = 'failed', finished_at = now() WHERE id = " + other + " RETURNING id");
    }
  }

  @Test
  @Order(5)
  void runsNobodyWillFinishAreClosedAsAbandonedWhenTheNextJobStarts() {
    long deadRun = Long.parseLong(scalar(app, "WITH j AS (INSERT INTO job (type, state, attempts) VALUES ('erp.sync', 'dead', 3) RETURNING id)"
        + " INSERT INTO erp_sync_run (trigger, full_sync, sources, job_id, state) SELECT 'schedule', false, '{alpha}', id, 'running' FROM j"
        + " RETURNING id"));
    long orphan = Long.parseLong(scalar(app, "INSERT INTO erp_sync_run (trigger, full_sync, state, created_at)"
        + " VALUES ('manual', false, 'queued', now() - interval '1 hour') RETURNING id"));
    long fresh = Long.parseLong(scalar(app, "INSERT INTO erp_sync_run (trigger, full_sync, state) VALUES ('manual', false, 'queued') RETURNING id"));
    try {
      runOf(app, "alpha");
      assertThat(scalar(app, "SELECT state || '|' || error || '|' || (abandoned_at IS NOT NULL) FROM erp_sync_run WHERE id = " + deadRun))
          .matches("failed\\|abandoned: its job \\d+ is dead\\|true");
      assertThat(scalar(app, "SELECT state || '|' || error FROM erp_sync_run WHERE id = " + orphan))
          .isEqualTo("failed|abandoned: no job was enqueued for it");
      assertThat(scalar(app, "SELECT state FROM erp_sync_run WHERE id = " + fresh)).as("its job may still be enqueued").isEqualTo("queued");
    } finally {
      scalar(app, "UPDATE erp_sync_run SET state = 'failed' WHERE id = " + fresh + " RETURNING id");
    }
  }

  @Test
  @Order(6)
  void aRunExecutedAgainWhileItRunsIsJoinedAndASecondRunOfTheErpOnThisNodeIsRefused() throws Exception {
    alpha.hold();
    long first;
    Future<JsonObject> again;
    JsonObject second;
    try {
      var accepted = app.post("/api/v1/sync/runs", TestApp.ADMIN_TOKEN, "{\"full\": true, \"sources\": [\"alpha\"]}");
      first = accepted.json().getLong("id");
      await().atMost(Duration.ofSeconds(30)).until(() -> alpha.held() > 0);
      // the job timed out and its retry asks this node's worker for the same run again
      again = app.app().vertx().eventBus().<JsonObject>request(ErpEvents.EXECUTE, new JsonObject().put("runId", first),
          SyncJobs.execute()).map(m -> m.body());
      // another run while the first one's lease looks expired: only the node's own bookkeeping stops it
      scalar(app, "UPDATE erp_source_state SET running_until = now() - interval '1 second' WHERE source = 'alpha' RETURNING source");
      second = runOf(app, "alpha");
    } finally {
      alpha.release();
    }
    JsonObject done = run(app, first);
    JsonObject o = outcome(done, "alpha");
    assertThat(List.of(o.getInteger("fetched"), o.getInteger("unchanged"), o.getInteger("pages"))).containsExactly(PRODUCTS, PRODUCTS, 3);
    assertThat(result(again).getString("state")).isEqualTo("succeeded");
    assertThat(result(again).getLong("id")).isEqualTo(first);
    assertThat(outcome(second, "alpha").getString("state")).isEqualTo("skipped");
    assertThat(outcome(second, "alpha").getString("error")).isEqualTo("this node is still syncing it for run " + first);
  }

  @Test
  @Order(7)
  void aPageLargerThanMaxPageBytesFailsThatErpWithAClearErrorAndIsNotRetried() {
    int before = big.requests();
    JsonObject run = runOf(app, "big");
    JsonObject o = outcome(run, "big");
    assertThat(o.getString("state")).isEqualTo("failed");
    assertThat(o.getString("error")).isEqualTo("page 1: page larger than 2048 bytes (the source's maxPageBytes)");
    assertThat(big.requests() - before).isEqualTo(1);
    assertThat(count(app, "SELECT count(*) FROM bula WHERE source = 'big'")).isZero();
  }

  @Test
  @Order(8)
  void anAlertRaisedByTwoNodesAtOnceIsSentOnce() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    FakeHttpServer hook = new FakeHttpServer(sims);
    hook.router().post("/hook").handler(ctx -> {
      hits.incrementAndGet();
      ctx.response().end("ok");
    });
    hook.start();
    WebClient client = WebClient.create(sims);
    try {
      var pool = app.app().platform().pool();
      var metrics = app.app().platform().metrics();
      Optional<String> url = Optional.of(hook.baseUrl() + "/hook");
      Alerts node1 = new Alerts(client, pool, url, 3600, metrics);
      Alerts node2 = new Alerts(client, pool, url, 3600, metrics);
      List<Future<Boolean>> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sent.add(node1.send("stale-alpha", "alpha is stale"));
        sent.add(node2.send("stale-alpha", "alpha is stale"));
      }
      result(Future.join(sent));
      assertThat(sent.stream().filter(Future::result).count()).isEqualTo(1);
      assertThat(hits.get()).isEqualTo(1);
      assertThat(result(node2.send("stale-big", "big is stale"))).as("another key has its own limit").isTrue();
    } finally {
      client.close();
      hook.close();
    }
  }

  /** What {@code sim} serves now, read and checked the way a sync reads it. */
  static List<Product> productsServedBy(ErpSimulator sim, String source) throws Exception {
    var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/products?offset=0&limit=10000"))
        .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    var adapter = new JsonRestAdapter(ErpConfig.from(app.app().config()).source(source).orElseThrow());
    List<Product> out = new ArrayList<>();
    for (ErpRecord r : adapter.parse(Buffer.buffer(body), MultiMap.caseInsensitiveMultiMap()).records()) {
      if (Records.check(r) instanceof Records.Accepted a) out.add(a.product());
    }
    return out;
  }
}
