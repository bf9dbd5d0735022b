package pharmaops.scraping;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.scraping.FakeOrganiserSite.Layout;
import pharmaops.scraping.FakeOrganiserSite.Post;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.scraping.Node.source;
import static pharmaops.scraping.Node.whatsapp;

/** History, politeness and resilience of scrapes against fake organiser sites, on a real PostgreSQL. */
class ScrapingServiceIT {
  static Vertx fakes;
  static FakeOrganiserSite site;
  static FakeWuzapi wuzapi;
  static final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
  static AppConfig config;
  static Node node;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    site = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
    site.router().post("/alerts").handler(ctx -> {
      alerts.add(ctx.body().asJsonObject());
      ctx.response().end();
    });
    wuzapi = (FakeWuzapi) new FakeWuzapi(fakes, "wuzapi-secret").start();
    config = Node.withEnv(TestServices.config(new JsonObject().put("scraping", new JsonObject()
        .put("timeoutMs", 800).put("maxRetries", 2).put("retryBaseMs", 50).put("alertWebhookUrl", site.baseUrl() + "/alerts")
        .put("whatsapp", new JsonObject().put("baseUrl", wuzapi.baseUrl()).put("messagesPerMinute", 6000))
        .put("delivery", new JsonObject().put("retrySeconds", 1)))), "WUZAPI_TOKEN", "wuzapi-secret");
    node = new Node(config);
  }

  @AfterAll
  static void stop() {
    node.close();
    site.close();
    wuzapi.close();
    fakes.close();
  }

  static Post post(int n, String date) {
    return new Post("Tarefa " + n, "Vale " + (n * 10) + " pontos", date, "/tarefas/" + n);
  }

  @Test
  void newItemsAreStoredOnceAndEachRecipientGetsEachOnce() {
    site.board("/novas", Layout.TABLE);
    site.post("/novas", post(1, "24/11/2026"));
    site.post("/novas", post(2, "25/11/2026 10:00"));
    Source s = node.create(source("novas", site.baseUrl() + "/novas", "table").put("channels", whatsapp("5511900000001", "5511900000002")));

    JsonObject first = node.run(s);
    assertThat(first.getString("status")).isEqualTo("ok");
    assertThat(first.getInteger("itemsNew")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> wuzapi.count("5511900000001") == 2 && wuzapi.count("5511900000002") == 2);
    assertThat(wuzapi.accepted()).anySatisfy(m -> assertThat(m.body()).contains("*Tarefa 2*").contains("25/11/2026 10:00")
        .contains(site.baseUrl() + "/tarefas/2"));

    site.post("/novas", post(3, "hoje às 14h"));
    JsonObject second = node.run(s);
    assertThat(second.getInteger("itemsFound")).isEqualTo(3);
    assertThat(second.getInteger("itemsNew")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> wuzapi.count("5511900000001") == 3);
    assertThat(node.count("SELECT count(*) FROM scraping_item WHERE source_id = " + s.id())).isEqualTo(3);
    assertThat(wuzapi.count("5511900000002")).isEqualTo(3);
  }

  @Test
  void notModifiedPagesAreNotParsedAndChangedEtagsWithSameContentAreNotNew() {
    site.board("/etag", Layout.CARDS);
    site.post("/etag", post(1, "25 de novembro de 2026"));
    Source s = node.create(source("etag", site.baseUrl() + "/etag", "cards"));
    assertThat(node.run(s).getInteger("itemsNew")).isEqualTo(1);
    int before = site.notModified();

    JsonObject again = node.run(s);
    assertThat(again.getString("status")).isEqualTo("not_modified");
    assertThat(again.getInteger("pages")).isZero();
    assertThat(again.getInteger("itemsFound")).isZero();
    assertThat(site.notModified()).isEqualTo(before + 1);

    site.raw("/etag", null); // bumps the ETag, same posts
    JsonObject changedTag = node.run(s);
    assertThat(changedTag.getString("status")).isEqualTo("ok");
    assertThat(changedTag.getInteger("itemsNew")).isZero();
  }

  @Test
  void sameTextUnderAnotherLinkIsNotNewAndAnEditIsANewVersion() {
    site.board("/edits", Layout.TABLE);
    site.post("/edits", new Post("Tarefa X", "Trazer 3 garrafas", "25/11/2026", "/t/x"));
    Source s = node.create(source("edits", site.baseUrl() + "/edits", "table").put("channels", whatsapp("5511900000009")));
    assertThat(node.run(s).getInteger("itemsNew")).isEqualTo(1);

    site.post("/edits", new Post("Tarefa  x", "Trazer\u00a03 garrafas", "25/11/2026", "/outra-url/x?utm_source=zap"));
    JsonObject moved = node.run(s);
    assertThat(moved.getInteger("itemsNew")).isZero();

    site.raw("/edits", "<table><tr><td>25/11/2026</td><td><a href='/t/x'>Tarefa X</a></td><td>Trazer 5 garrafas</td></tr></table>");
    JsonObject edited = node.run(s);
    assertThat(edited.getInteger("itemsNew")).isZero();
    assertThat(edited.getInteger("itemsEdited")).isEqualTo(1);
    assertThat(node.count("SELECT max(version) FROM scraping_item WHERE source_id = " + s.id())).isEqualTo(2);
    assertThat(node.count("SELECT count(*) FROM scraping_item_version WHERE source_id = " + s.id())).isEqualTo(2);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> wuzapi.count("5511900000009") == 1);
  }

  @Test
  void requestsToOneHostNeverExceedItsRateEvenAcrossSources() {
    FakeOrganiserSite host = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
    try {
      for (String path : List.of("/a", "/b")) {
        host.board(path, Layout.CARDS).pageSize = 2;
        for (int i = 1; i <= 8; i++) host.post(path, post(i, "25/11/2026"));
      }
      Source a = node.create(source("rate-a", host.baseUrl() + "/a", "cards").put("ratePerSecond", 5).put("maxPages", 4));
      Source b = node.create(source("rate-b", host.baseUrl() + "/b", "cards").put("ratePerSecond", 5).put("maxPages", 4));
      Node.await(io.vertx.core.Future.all(node.service.run(a), node.service.run(b)));
      List<Long> all = new java.util.ArrayList<>();
      for (String p : List.of("/a", "/b", "/robots.txt")) all.addAll(host.arrivals(p));
      all.sort(Long::compare);
      assertThat(all).hasSize(9); // robots.txt once, 4 pages of each board
      assertThat(maxInAnySecond(all)).isLessThanOrEqualTo(5);
    } finally {
      host.close();
    }
  }

  static int maxInAnySecond(List<Long> sortedNanos) {
    int max = 0;
    for (int i = 0, j = 0; i < sortedNanos.size(); i++) {
      while (sortedNanos.get(i) - sortedNanos.get(j) >= 1_000_000_000L) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheHostsRetryAfter() {
    site.board("/busy", Layout.TABLE);
    site.post("/busy", post(1, "25/11/2026"));
    site.fail("/busy", 1, 429, "1");
    Source s = node.create(source("busy", site.baseUrl() + "/busy", "table"));
    JsonObject run = node.run(s);
    assertThat(run.getString("status")).isEqualTo("ok");
    List<Long> t = site.arrivals("/busy");
    assertThat(t).hasSize(2);
    assertThat(t.get(1) - t.get(0)).isGreaterThanOrEqualTo(1_000_000_000L);
  }

  @Test
  void aFailingOrSlowSiteGivesAFailedRunWithTheReasonThenTheBreakerOpens() {
    FakeOrganiserSite down = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
    try {
      down.board("/x", Layout.TABLE);
      down.fail("/x", 100, 503, null);
      Source s = node.create(source("down", down.baseUrl() + "/x", "table").put("respectRobots", false));
      JsonObject failed = node.run(s);
      assertThat(failed.getString("status")).isEqualTo("failed");
      assertThat(failed.getString("error")).contains("HTTP 503");
      node.run(s); // 6 failures in all: the breaker opens
      JsonObject fast = node.run(s);
      assertThat(fast.getString("error")).contains("circuit breaker open");

      down.board("/slow", Layout.TABLE);
      down.slow("/slow", 3000);
      Source slow = node.create(source("slow", "http://localhost:" + down.port() + "/slow", "table").put("respectRobots", false));
      assertThat(node.run(slow).getString("error")).containsIgnoringCase("timeout");
    } finally {
      down.close();
    }
  }

  @Test
  void robotsTxtIsRespectedUnlessTheSourceOptsOut() {
    site.board("/private/quadro", Layout.TABLE);
    site.post("/private/quadro", post(1, "25/11/2026"));
    Source polite = node.create(source("polite", site.baseUrl() + "/private/quadro", "table"));
    JsonObject blocked = node.run(polite);
    assertThat(blocked.getString("status")).isEqualTo("blocked");
    assertThat(site.arrivals("/private/quadro")).isEmpty();
    Source rude = node.create(source("rude", site.baseUrl() + "/private/quadro", "table").put("respectRobots", false));
    assertThat(node.run(rude).getInteger("itemsNew")).isEqualTo(1);
  }

  @Test
  void aSourceThatStopsReturningItemsRaisesOneAlertWithTheItemErrors() {
    site.board("/quebra", Layout.CARDS);
    site.post("/quebra", post(1, "25/11/2026"));
    Source s = node.create(source("quebra", site.baseUrl() + "/quebra", "cards"));
    node.run(s);
    site.raw("/quebra", "<html><body><article class=post><p>layout novo, sem título</p></article></body></html>");
    JsonObject empty = node.run(s);
    assertThat(empty.getString("status")).isEqualTo("empty");
    assertThat(empty.getJsonArray("itemErrors")).contains("item 1: no title (no heading with text)");
    await().atMost(Duration.ofSeconds(5)).until(() -> alerts.stream().anyMatch(a -> "quebra".equals(a.getString("source"))));
    site.raw("/quebra", "<html><body>ainda vazio</body></html>");
    node.run(s);
    await().during(Duration.ofMillis(300)).until(() -> alerts.stream().filter(a -> "quebra".equals(a.getString("source"))).count() == 1);
  }

  @Test
  void noRecipientGetsAnItemTwiceAcrossFailuresAndANodeRestart() {
    site.board("/crash", Layout.LIST);
    site.post("/crash", post(1, "25/11/2026"));
    site.post("/crash", post(2, "25/11/2026"));
    JsonObject spec = source("crash", site.baseUrl() + "/crash", "css").put("channels", whatsapp("5511911110001", "5511911110002"))
        .put("options", new JsonObject().put("item", "li.aviso").put("title", ".t").put("body", ".txt").put("date", ".quando").put("link", "a.mais"));
    wuzapi.failNext("5511911110002", 2, 500, null);
    Source s = node.create(spec);
    Node first = new Node(config);
    try {
      assertThat(first.run(s).getInteger("itemsNew")).isEqualTo(2);
      await().atMost(Duration.ofSeconds(10)).until(() -> wuzapi.count("5511911110001") == 2);
    } finally {
      first.close(); // the node goes away with two deliveries pending
    }
    assertThat(wuzapi.count("5511911110002")).isZero();
    Node restarted = new Node(config);
    try {
      assertThat(restarted.run(s).getInteger("itemsNew")).isZero();
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
        Node.await(restarted.service.sweep());
        return wuzapi.count("5511911110002") == 2;
      });
      Node.await(restarted.service.sweep());
      assertThat(wuzapi.count("5511911110001")).isEqualTo(2);
      assertThat(wuzapi.count("5511911110002")).isEqualTo(2);
      // Nothing crashed mid-send, so not even a repeat with the same id went out.
      assertThat(wuzapi.posts("5511911110001") + wuzapi.posts("5511911110002")).isEqualTo(4);
      // the last send's ledger write may still be on its way when Wuzapi has counted the message
      await().atMost(Duration.ofSeconds(5)).until(() ->
          restarted.count("SELECT count(*) FROM scraping_delivery WHERE state = 'sent' AND recipient LIKE '551191111%'") == 4);
      assertThat(wuzapi.posts("5511911110001") + wuzapi.posts("5511911110002")).isEqualTo(4);
    } finally {
      restarted.close();
    }
  }

  @Test
  void paginationIsFollowedUpToMaxPages() {
    site.board("/paginas", Layout.CARDS).pageSize = 2;
    for (int i = 1; i <= 7; i++) site.post("/paginas", post(i, "25/11/2026"));
    Source s = node.create(source("paginas", site.baseUrl() + "/paginas", "cards").put("maxPages", 3));
    JsonObject run = node.run(s);
    assertThat(run.getInteger("pages")).isEqualTo(3);
    assertThat(run.getInteger("itemsNew")).isEqualTo(6);
  }

  @Test
  void webhooksGetTheItemJsonWithItsIdempotencyKeyAndWuzapiTooManyRequestsPostponesTheRetry() {
    List<JsonObject> hooked = new CopyOnWriteArrayList<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    site.router().post("/hook").handler(ctx -> {
      hooked.add(ctx.body().asJsonObject());
      keys.add(ctx.request().getHeader("Idempotency-Key"));
      ctx.response().setStatusCode(204).end();
    });
    site.board("/canais", Layout.TABLE);
    site.post("/canais", post(1, "25/11/2026"));
    // Short: a 429 holds this class's whole WhatsApp channel for its Retry-After.
    wuzapi.failNext("5511922220001", 1, 429, "2");
    Source s = node.create(source("canais", site.baseUrl() + "/canais", "table").put("channels", whatsapp("5511922220001").copy()
        .add(new JsonObject().put("type", "webhook").put("recipients", new io.vertx.core.json.JsonArray().add(site.baseUrl() + "/hook")))));
    node.run(s);
    await().atMost(Duration.ofSeconds(10)).until(() -> hooked.size() == 1);
    assertThat(hooked.get(0).getString("title")).isEqualTo("Tarefa 1");
    assertThat(hooked.get(0).getString("source")).isEqualTo("canais");
    assertThat(keys).containsExactly(Distributor.messageId(hooked.get(0).getLong("id"), "webhook", site.baseUrl() + "/hook"));
    await().atMost(Duration.ofSeconds(10)).until(() -> node.count("SELECT count(*) FROM scraping_delivery WHERE recipient = '5511922220001'"
        + " AND state = 'pending' AND attempts = 1 AND next_attempt_at > now() + interval '1 second'") == 1);
    Node.await(node.service.sweep());
    assertThat(wuzapi.count("5511922220001")).isZero(); // not before its Retry-After
  }

  @Test
  void rowsSharingOneLinkAreSeparateItemsAndTwoSourcesOfOnePageEachParseIt() {
    site.raw("/inscricao", "<table><tr><td>25/11/2026</td><td><a href='/form'>Tarefa A</a></td></tr>"
        + "<tr><td>25/11/2026</td><td><a href='/form'>Tarefa B</a></td></tr></table>");
    Source a = node.create(source("form-a", site.baseUrl() + "/inscricao", "table"));
    assertThat(node.run(a).getInteger("itemsNew")).isEqualTo(2);
    assertThat(node.run(a).getString("status")).isEqualTo("not_modified");
    Source b = node.create(source("form-b", site.baseUrl() + "/inscricao", "css")
        .put("options", new JsonObject().put("item", "tr").put("title", "a")));
    JsonObject other = node.run(b);
    assertThat(other.getString("status")).isEqualTo("ok");
    assertThat(other.getInteger("itemsNew")).isEqualTo(2);
  }
}
