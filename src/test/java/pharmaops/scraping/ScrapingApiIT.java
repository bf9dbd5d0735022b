package pharmaops.scraping;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.scraping.FakeOrganiserSite.Layout;
import pharmaops.scraping.FakeOrganiserSite.Post;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scraping API and schedules of a whole node (job engine included), against fake sites and Wuzapi. */
class ScrapingApiIT {
  static Vertx fakes;
  static FakeOrganiserSite site;
  static FakeWuzapi wuzapi;
  static TestApp app;
  static String attendant;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    site = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
    wuzapi = (FakeWuzapi) new FakeWuzapi(fakes, "tok").start();
    site.board("/agendada", Layout.CARDS);
    site.post("/agendada", new Post("Tarefa agendada", "chega sozinha", "25/11/2026", "/a/1"));
    JsonObject configured = new JsonObject().put("name", "gincana-config").put("url", site.baseUrl() + "/agendada")
        .put("kind", "cards").put("schedule", "@every 1s").put("ratePerSecond", 20)
        .put("channels", new JsonArray().add(new JsonObject().put("type", "whatsapp").put("recipients", new JsonArray().add("5511988887777"))));
    var config = Node.withEnv(TestServices.config(new JsonObject().put("scraping", new JsonObject()
        .put("whatsapp", new JsonObject().put("baseUrl", wuzapi.baseUrl()).put("messagesPerMinute", 6000))
        .put("sources", new JsonArray().add(configured)))), "WUZAPI_TOKEN", "tok");
    app = TestApp.start(config);
    attendant = app.tokenWithRoles("attendant");
  }

  @AfterAll
  static void stop() {
    app.close();
    site.close();
    wuzapi.close();
    fakes.close();
  }

  static JsonObject spec(String name, String path) {
    return new JsonObject().put("name", name).put("url", site.baseUrl() + path).put("kind", "table").put("schedule", "@every 1h");
  }

  @Test
  void aConfiguredSourceIsScrapedOnItsScheduleAndReachesWhatsApp() {
    await().atMost(Duration.ofSeconds(20)).until(() -> wuzapi.count("5511988887777") == 1);
    site.post("/agendada", new Post("Segunda tarefa", "também", "hoje", "/a/2"));
    await().atMost(Duration.ofSeconds(20)).until(() -> wuzapi.count("5511988887777") == 2);
    var sources = app.get("/api/v1/scraping/sources", attendant).json().getJsonArray("items");
    JsonObject mine = sources.stream().map(JsonObject.class::cast).filter(s -> s.getString("name").equals("gincana-config")).findFirst().orElseThrow();
    assertThat(mine.getString("health")).isEqualTo("ok");
    assertThat(mine.getString("schedule")).isEqualTo("@every 1s");
    assertThat(mine.getJsonObject("lastRun").getString("status")).isIn("ok", "not_modified");
  }

  @Test
  void adminCreatesAndTriggersASourceThenAttendantsSearchAndPageItems() {
    site.board("/api", Layout.TABLE);
    for (int i = 1; i <= 5; i++) site.post("/api", new Post("Prova de química " + i, "laboratório " + i, "2" + i + "/11/2026", "/q/" + i));
    site.post("/api", new Post("Corrida do saco", "na praça", "25/11/2026", "/c/1"));
    var created = app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("api-board", "/api").encode());
    assertThat(created.status()).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(created.header("Location")).isEqualTo("/api/v1/scraping/sources/" + id);
    var located = app.get(created.header("Location"), attendant);
    assertThat(located.status()).isEqualTo(200);
    assertThat(located.json().getString("name")).isEqualTo("api-board");
    assertThat(located.json().getString("health")).isEqualTo("new");
    assertThat(app.get("/api/v1/scraping/sources/999999", attendant).status()).isEqualTo(404);

    var trigger = app.post("/api/v1/scraping/sources/" + id + "/scrape", TestApp.ADMIN_TOKEN, "{}");
    assertThat(trigger.status()).isEqualTo(202);
    assertThat(trigger.json().getLong("jobId")).isPositive();
    await().atMost(Duration.ofSeconds(15)).until(() ->
        app.get("/api/v1/scraping/items?source=" + id, attendant).json().getJsonArray("items").size() == 6);

    var page1 = app.get("/api/v1/scraping/items?q=quimica&source=" + id + "&size=3", attendant).json();
    assertThat(page1.getJsonArray("items")).hasSize(3);
    JsonObject first = page1.getJsonArray("items").getJsonObject(0);
    assertThat(first.fieldNames()).contains("id", "sourceId", "title", "body", "link", "postedAt", "firstSeenAt", "version");
    assertThat(first.getString("title")).startsWith("Prova de química");
    var page2 = app.get("/api/v1/scraping/items?q=quimica&source=" + id + "&size=3&cursor=" + page1.getString("next"), attendant).json();
    assertThat(page2.getJsonArray("items")).hasSize(2);
    List<Object> ids = new java.util.ArrayList<>(page1.getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("id")).toList());
    page2.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
    assertThat(ids).doesNotHaveDuplicates().hasSize(5);
    assertThat(page2.getValue("next")).isNull();
  }

  @Test
  void badSourcesAreRejectedWithEveryProblemAndOnlyAdminsMayCreateOrTrigger() {
    var bad = app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, new JsonObject().put("name", "x").put("url", "ftp://x")
        .put("kind", "magic").put("schedule", "sometimes").put("channels", new JsonArray().add(new JsonObject()
            .put("type", "whatsapp").put("recipients", new JsonArray().add("not-a-phone")))).encode());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.json().getJsonArray("errors").encode()).contains("url:", "kind:", "schedule:", "not-a-phone");

    assertThat(app.post("/api/v1/scraping/sources", attendant, spec("nope", "/nope").encode()).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("twice", "/t").encode()).status()).isEqualTo(201);
    assertThat(app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("twice", "/t").encode()).status()).isEqualTo(409);
    assertThat(app.post("/api/v1/scraping/sources/999999/scrape", TestApp.ADMIN_TOKEN, "{}").status()).isEqualTo(404);
    assertThat(app.post("/api/v1/scraping/sources/1/scrape", attendant, "{}").status()).isEqualTo(403);
    assertThat(app.get("/api/v1/scraping/items?cursor=abc", attendant).status()).isEqualTo(400);
    assertThat(app.get("/api/v1/scraping/items", null).status()).isEqualTo(401);
  }

  @Test
  void webSocketSubscribersReceiveEachNewItem() throws Exception {
    site.board("/ws", Layout.TABLE);
    long id = app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("ws-board", "/ws").encode()).json().getLong("id");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    var client = fakes.createWebSocketClient();
    var ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.port())
        .setURI("/ws/scraping?access_token=" + attendant)).toCompletionStage().toCompletableFuture().get();
    ws.textMessageHandler(t -> received.add(new JsonObject(t)));
    site.post("/ws", new Post("Tarefa ao vivo", "corram", "25/11/2026", "/live/1"));
    app.post("/api/v1/scraping/sources/" + id + "/scrape", TestApp.ADMIN_TOKEN, "{}");
    await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(j -> "Tarefa ao vivo".equals(j.getString("title"))));
    JsonObject event = received.stream().filter(j -> "Tarefa ao vivo".equals(j.getString("title"))).findFirst().orElseThrow();
    assertThat(event.getLong("sourceId")).isEqualTo(id);
    assertThat(event.getString("source")).isEqualTo("ws-board");
    assertThat(event.getString("detectedAt")).isNotBlank();
    ws.close();
  }

  @Test
  void adminUpdatesAndDisablesAnApiSourceButNeitherAConfiguredOne() {
    long id = app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("editavel", "/editavel").encode()).json().getLong("id");
    var updated = put("/api/v1/scraping/sources/" + id, TestApp.ADMIN_TOKEN, spec("editada", "/editada").put("schedule", "@every 10m"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getString("name")).isEqualTo("editada");
    JsonObject listed = source(id);
    assertThat(listed.getString("name")).isEqualTo("editada");
    assertThat(listed.getString("url")).isEqualTo(site.baseUrl() + "/editada");
    assertThat(listed.getString("schedule")).isEqualTo("@every 10m");

    assertThat(put("/api/v1/scraping/sources/999999", TestApp.ADMIN_TOKEN, spec("x", "/x")).status()).isEqualTo(404);
    assertThat(put("/api/v1/scraping/sources/" + id, TestApp.ADMIN_TOKEN, spec("x", "/x").put("kind", "magic")).status()).isEqualTo(400);
    app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("ocupado", "/ocupado").encode());
    assertThat(put("/api/v1/scraping/sources/" + id, TestApp.ADMIN_TOKEN, spec("ocupado", "/editada")).status()).isEqualTo(409);
    assertThat(put("/api/v1/scraping/sources/" + id, attendant, spec("editada", "/editada")).status()).isEqualTo(403);

    long configured = sources().stream().map(JsonObject.class::cast).filter(j -> j.getString("name").equals("gincana-config"))
        .findFirst().orElseThrow().getLong("id");
    assertThat(put("/api/v1/scraping/sources/" + configured, TestApp.ADMIN_TOKEN, spec("gincana-config", "/agendada")).status()).isEqualTo(409);
    assertThat(app.delete("/api/v1/scraping/sources/" + configured, TestApp.ADMIN_TOKEN).status()).isEqualTo(409);

    assertThat(app.delete("/api/v1/scraping/sources/" + id, TestApp.ADMIN_TOKEN).status()).isEqualTo(204);
    assertThat(source(id).getString("health")).isEqualTo("disabled");
    assertThat(app.delete("/api/v1/scraping/sources/999999", TestApp.ADMIN_TOKEN).status()).isEqualTo(404);
  }

  @Test
  void searchTakesPercentAndUnderscoreLiterally() {
    site.board("/literal", Layout.TABLE);
    for (String t : List.of("Desconto de 50% na feira", "Desconto de 50 reais", "campo_extra preenchido", "campo extra vazio")) {
      site.post("/literal", new Post(t, "texto", "25/11/2026", "/l/" + t.hashCode()));
    }
    long id = app.post("/api/v1/scraping/sources", TestApp.ADMIN_TOKEN, spec("literal", "/literal").encode()).json().getLong("id");
    app.post("/api/v1/scraping/sources/" + id + "/scrape", TestApp.ADMIN_TOKEN, "{}");
    await().atMost(Duration.ofSeconds(15)).until(() ->
        app.get("/api/v1/scraping/items?source=" + id, attendant).json().getJsonArray("items").size() == 4);
    assertThat(titles(id, "50%25")).containsExactly("Desconto de 50% na feira");
    assertThat(titles(id, "campo_extra")).containsExactly("campo_extra preenchido");
    assertThat(titles(id, "%25")).containsExactly("Desconto de 50% na feira");
  }

  static List<String> titles(long source, String q) {
    return app.get("/api/v1/scraping/items?source=" + source + "&q=" + q, attendant).json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("title")).toList();
  }

  static JsonArray sources() {
    return app.get("/api/v1/scraping/sources", attendant).json().getJsonArray("items");
  }

  static JsonObject source(long id) {
    return sources().stream().map(JsonObject.class::cast).filter(j -> j.getLong("id") == id).findFirst().orElseThrow();
  }

  static TestApp.Resp put(String path, String token, JsonObject body) {
    return app.send(app.request(path, token).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }
}
