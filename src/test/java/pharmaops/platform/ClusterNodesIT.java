package pharmaops.platform;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.jobs.JobEvents;
import pharmaops.scraping.FakeOrganiserSite;
import pharmaops.scraping.ScrapingEvents;
import pharmaops.search.SearchAddresses;
import pharmaops.support.NodeProcess;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes as separate JVMs on one PostgreSQL and Redis, clustered on Hazelcast, plus this JVM joining the
 * cluster as a sister service would. A report runs on one node while clients listen on another; the node
 * running it is killed (SIGKILL) in the middle, and a survivor finishes it exactly once. The sister service also
 * searches and hears of newly scraped items over the clustered event bus.
 */
class ClusterNodesIT {
  private static final int ROWS = 120_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<NodeProcess> nodes = new ArrayList<>();
  private static String pgUrl;
  private static Vertx sister;

  @BeforeAll
  static void startCluster() throws Exception {
    pgUrl = TestServices.freshDatabase();
    seedCatalogue();
    String name = "pharmaops-nodes-" + System.nanoTime();
    int[] hz = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
    List<String> members = new ArrayList<>();
    for (int p : hz) members.add("127.0.0.1:" + p);
    Path dataDir = Files.createTempDirectory("pharmaops-cluster"); // shared, as the compose file's volume is
    String prefix = TestServices.redisPrefix();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>(Map.of(
          "PHARMAOPS_CLUSTER_ENABLED", "true", "PHARMAOPS_CLUSTER_NAME", name,
          "PHARMAOPS_CLUSTER_HAZELCAST_PORT", Integer.toString(hz[i]), "PHARMAOPS_CLUSTER_MEMBERS", String.join(",", members),
          "PHARMAOPS_REDIS_KEY_PREFIX", prefix,
          // a dead worker's job is picked up seconds, not half a minute, after its lease lapses
          "PHARMAOPS_JOBS_LEASE_SECONDS", "3", "PHARMAOPS_JOBS_HEARTBEAT_SECONDS", "1",
          // small chunks: the export lasts long enough to be killed in the middle
          "PHARMAOPS_REPORTS_CHUNK_SIZE", "20"));
      nodes.add(NodeProcess.start("node" + (i + 1), pgUrl, TestServices.redisUrl(), dataDir, env));
    }
    var c = new AppConfig.Cluster(true, name, "127.0.0.1", "", hz[3], 0, members);
    sister = Vertx.builder().with(Cluster.eventBus(new VertxOptions(), c)).withClusterManager(Cluster.manager(c))
        .buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    nodes.forEach(NodeProcess::close);
    if (sister != null) sister.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aReportSurvivesTheKillOfItsNodeAndListenersOnOtherNodesAndSisterServicesAreTold() throws Exception {
    List<JsonObject> busEvents = new CopyOnWriteArrayList<>();
    sister.eventBus().<JsonObject>consumer(JobEvents.UPDATED, m -> busEvents.add(m.body()));

    String analyst = createToken(nodes.get(0), "analyst");
    var submitted = send(nodes.get(0), "POST", "/api/v1/reports", analyst, new JsonObject().put("type", "catalogue").encode());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    long jobId = new JsonObject(submitted.body()).getLong("id");

    // Find the node whose worker holds the job once it has written some rows, and kill it there and then.
    String[] lockedBy = new String[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
      var row = jobRow(jobId);
      lockedBy[0] = row.getString("locked_by");
      return "running".equals(row.getString("state")) && row.getInteger("progress") > 0;
    });
    NodeProcess worker = nodes.stream().filter(n -> n.log().contains(lockedBy[0])).findFirst().orElseThrow();
    NodeProcess listener = nodes.stream().filter(n -> n != worker).findFirst().orElseThrow();
    List<JsonObject> wsEvents = listen(listener, analyst, jobId);
    worker.kill();

    await().atMost(Duration.ofSeconds(90)).until(() -> wsEvents.stream().anyMatch(e -> "succeeded".equals(e.getString("state"))));
    var row = jobRow(jobId);
    assertThat(row.getString("state")).isEqualTo("succeeded");
    assertThat(row.getInteger("attempts")).as("ran again once after the kill").isEqualTo(2);
    assertThat(row.getString("locked_by")).isNotEqualTo(lockedBy[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> busEvents.stream()
        .anyMatch(e -> e.getLong("id") == jobId && "succeeded".equals(e.getString("state"))));

    var file = send(listener, "GET", "/api/v1/reports/" + jobId + "/file", analyst, null);
    assertThat(file.statusCode()).isEqualTo(200);
    String[] lines = file.body().split("\r\n");
    assertThat(lines).hasSize(ROWS + 1);
    for (int i = 1; i <= ROWS; i++) {
      if (!lines[i].startsWith(i + ",")) throw new AssertionError("line " + i + " is not row " + i + ": " + lines[i]);
    }
  }

  @Test
  void sisterServicesSearchThroughTheClusteredEventBus() throws Exception {
    var reply = sister.eventBus().<JsonObject>request(SearchAddresses.BULAS, new JsonObject().put("q", "produto 77"),
        new DeliveryOptions().setSendTimeout(10_000)).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    JsonArray items = reply.body().getJsonArray("items");
    assertThat(items).isNotEmpty();
    assertThat(items.getJsonObject(0).getString("name")).isEqualTo("Produto 77");
  }

  @Test
  void sisterServicesHearOfNewlyScrapedItemsThroughTheClusteredEventBus() throws Exception {
    List<JsonObject> items = new CopyOnWriteArrayList<>();
    sister.eventBus().<JsonObject>consumer(ScrapingEvents.ITEM_NEW, m -> items.add(m.body()));
    var site = (FakeOrganiserSite) new FakeOrganiserSite(sister).start();
    try {
      site.board("/mural", FakeOrganiserSite.Layout.TABLE);
      site.post("/mural", new FakeOrganiserSite.Post("Tarefa 7: foto no coreto", "até as 18h", "05/12/2026", "/t/7"));
      List<NodeProcess> live = nodes.stream().filter(NodeProcess::alive).toList(); // another test may have killed one
      var created = send(live.get(0), "POST", "/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, new JsonObject()
          .put("name", "cluster-mural").put("url", site.baseUrl() + "/mural").put("kind", "table").put("schedule", "@every 1h").encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      long id = new JsonObject(created.body()).getLong("id");
      // scraped on another node than the one that created the source; heard here, outside every node
      var scrape = send(live.get(1), "POST", "/api/v1/scraping/sources/" + id + "/scrape", TestApp.ADMIN_TOKEN, "{}");
      assertThat(scrape.statusCode()).as(scrape.body()).isLessThan(300);
      await().atMost(Duration.ofSeconds(30)).until(() -> items.stream().anyMatch(i -> "Tarefa 7: foto no coreto".equals(i.getString("title"))));
      JsonObject item = items.stream().filter(i -> "Tarefa 7: foto no coreto".equals(i.getString("title"))).findFirst().orElseThrow();
      assertThat(item.getLong("sourceId")).isEqualTo(id);
      assertThat(item.getString("source")).isEqualTo("cluster-mural");
    } finally {
      site.close();
    }
  }

  private static List<JsonObject> listen(NodeProcess node, String token, long jobId) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    var ws = sister.createWebSocketClient().connect(node.port(), "127.0.0.1", "/ws/jobs?access_token=" + token)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(t -> events.add(new JsonObject(t)));
    ws.writeTextMessage(new JsonObject().put("subscribe", jobId).encode());
    return events;
  }

  private static String createToken(NodeProcess node, String role) throws Exception {
    var r = send(node, "POST", "/api/v1/tokens", TestApp.ADMIN_TOKEN,
        new JsonObject().put("subject", "cluster-" + role).put("roles", new JsonArray().add(role)).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("token");
  }

  private static HttpResponse<String> send(NodeProcess node, String method, String path, String token, String body) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Connection jdbc() throws SQLException {
    URI u = URI.create(pgUrl.replace("postgresql://postgres@", "postgresql://"));
    return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath(), "postgres", "");
  }

  private static void seedCatalogue() throws SQLException {
    try (Connection c = jdbc(); var s = c.createStatement()) {
      s.execute("INSERT INTO bula (name, manufacturer, source) SELECT 'Produto ' || g, 'Lab ' || (g % 50), 'test' "
          + "FROM generate_series(1, " + ROWS + ") g");
    }
  }

  private static JsonObject jobRow(long id) throws SQLException {
    try (Connection c = jdbc(); var ps = c.prepareStatement("SELECT state, progress, attempts, locked_by FROM job WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new JsonObject().put("state", rs.getString(1)).put("progress", rs.getInt(2))
            .put("attempts", rs.getInt(3)).put("locked_by", rs.getString(4));
      }
    }
  }
}
