package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.scraping.FakeOrganiserSite.Layout;
import pharmaops.scraping.FakeOrganiserSite.Post;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.scraping.Node.source;
import static pharmaops.scraping.Node.whatsapp;

/**
 * Delivery across node deaths and several nodes: the message id, lease take-over, the channel rate shared by
 * the nodes, new items ahead of retries, and a 429 holding the channel. Each test has its own database and
 * Redis prefix (its own channel rate), all share one fake Wuzapi (each test its own phone numbers).
 */
class DeliveryIT {
  static Vertx fakes;
  static FakeOrganiserSite site;
  static FakeWuzapi wuzapi;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    site = (FakeOrganiserSite) new FakeOrganiserSite(fakes).start();
    wuzapi = (FakeWuzapi) new FakeWuzapi(fakes, "tok").start();
  }

  @AfterAll
  static void stop() {
    site.close();
    wuzapi.close();
    fakes.close();
  }

  static AppConfig config(int messagesPerMinute) {
    return config(messagesPerMinute, 800);
  }

  /** A fresh database and Redis prefix; a send lease of 2 * timeoutMs + 1000 ms. */
  static AppConfig config(int messagesPerMinute, int timeoutMs) {
    return Node.withEnv(TestServices.config(new JsonObject().put("scraping", new JsonObject()
        .put("timeoutMs", timeoutMs).put("retryBaseMs", 50)
        .put("whatsapp", new JsonObject().put("baseUrl", wuzapi.baseUrl()).put("messagesPerMinute", messagesPerMinute))
        .put("delivery", new JsonObject().put("retrySeconds", 1)))), "WUZAPI_TOKEN", "tok");
  }

  static Source board(Node node, String name, JsonArray channels, int posts) {
    site.board("/" + name, Layout.TABLE);
    for (int i = 1; i <= posts; i++) site.post("/" + name, new Post(name + " " + i, "texto", "25/11/2026", "/" + name + "/" + i));
    return node.create(source(name, site.baseUrl() + "/" + name, "table").put("channels", channels));
  }

  static String[] phones(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) out[i] = prefix + i;
    return out;
  }

  static long itemId(Node node, Source s) {
    return node.count("SELECT min(id) FROM scraping_item WHERE source_id = " + s.id());
  }

  @Test
  void aResendAfterTheNodeDiedBetweenWuzapisAnswerAndItsLedgerCarriesTheSameIdAndIsShownOnce() {
    String phone = "5511933330001";
    AppConfig config = config(6000);
    Node dying = new Node(config);
    Source s = board(dying, "ids", whatsapp(phone), 1);
    AtomicBoolean arrived = new AtomicBoolean();
    Promise<Void> answer = Promise.promise();
    wuzapi.beforeNext(phone, () -> {
      arrived.set(true);
      return answer.future();
    }, true);
    assertThat(dying.run(s).getInteger("itemsNew")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilTrue(arrived);
    Node.await(dying.platform.pool().close()); // the node loses its database while Wuzapi is sending
    answer.complete();                         // Wuzapi answers 200: the message is out, the ledger never hears of it
    await().atMost(Duration.ofSeconds(5)).until(() -> wuzapi.posts(phone) == 1);
    dying.close();

    Node other = new Node(config);
    try {
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
        Node.await(other.service.sweep());
        return wuzapi.posts(phone) == 2;
      });
      String expected = Distributor.messageId(itemId(other, s), "whatsapp", phone);
      assertThat(wuzapi.accepted()).filteredOn(m -> m.phone().equals(phone)).extracting(FakeWuzapi.Message::id)
          .containsExactly(expected, expected);
      assertThat(wuzapi.count(phone)).isEqualTo(1);
      assertThat(other.count("SELECT count(*) FROM scraping_delivery WHERE recipient = '" + phone + "' AND state = 'sent' AND attempts = 2"))
          .isEqualTo(1);
    } finally {
      other.close();
    }
  }

  @Test
  void aRowLeasedByADeadNodeIsTakenOverByAnotherNodeOnlyOnceTheLeaseEnds() {
    String phone = "5511933330002";
    AppConfig config = config(6000, 3000); // the send must not time out before the node is killed
    Node dying = new Node(config);
    Source s = board(dying, "takeover", whatsapp(phone), 1);
    AtomicBoolean arrived = new AtomicBoolean();
    Promise<Void> answer = Promise.promise();
    wuzapi.beforeNext(phone, () -> {
      arrived.set(true);
      return answer.future();
    }, false);
    dying.run(s);
    await().atMost(Duration.ofSeconds(10)).untilTrue(arrived);
    dying.kill(); // dies mid-send, its row leased
    answer.complete();

    Node other = new Node(config);
    try {
      String leaseEnd = Node.await(other.platform.pool().query(
          "SELECT lease_until::text FROM scraping_delivery WHERE recipient = '" + phone + "' AND state = 'pending'").execute())
          .iterator().next().getString(0);
      assertThat(leaseEnd).isNotNull();
      await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200)).until(() -> {
        Node.await(other.service.sweep());
        return wuzapi.count(phone) == 1;
      });
      assertThat(other.count("SELECT count(*) FROM scraping_delivery WHERE recipient = '" + phone + "' AND state = 'sent'"
          + " AND attempts = 2 AND sent_at >= '" + leaseEnd + "'::timestamptz")).isEqualTo(1);
    } finally {
      other.close();
    }
  }

  @Test
  void whatsAppSendsOfTwoNodesTogetherStayWithinMessagesPerMinute() {
    AppConfig config = config(120); // one message per 500 ms, all nodes together
    String[] first = phones("551194444000", 5);
    String[] second = phones("551194444100", 5);
    try (Node a = new Node(config); Node b = new Node(config)) {
      Source sa = board(a, "rate-a", whatsapp(first), 1);
      Source sb = board(b, "rate-b", whatsapp(second), 1);
      Node.await(Future.all(a.service.run(sa), b.service.run(sb))); // each node sends its own item to 5 phones
      Set<String> all = new java.util.HashSet<>(List.of(first));
      all.addAll(List.of(second));
      await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(p -> wuzapi.count(p) == 1));
      List<Long> arrivals = new ArrayList<>(wuzapi.accepted().stream().filter(m -> all.contains(m.phone()))
          .map(FakeWuzapi.Message::nanoTime).sorted().toList());
      assertThat(arrivals).hasSize(10);
      // 2 per second with no burst: any 4 s hold at most 8 (per-node limits would let all 10 through in 2.5 s).
      assertThat(maxInWindow(arrivals, 4_000_000_000L)).isLessThanOrEqualTo(8);
    }
  }

  /** The most arrivals in any half-open window of {@code windowNanos}. */
  static int maxInWindow(List<Long> sortedNanos, long windowNanos) {
    int max = 0;
    for (int i = 0, j = 0; i < sortedNanos.size(); i++) {
      while (sortedNanos.get(i) - sortedNanos.get(j) >= windowNanos) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  @Test
  void aNewItemReachesItsRecipientAheadOfARetryBacklog() {
    AppConfig config = config(120);
    String[] backlogPhones = phones("551195555000", 10);
    String fresh = "5511955559999";
    Node detector = new Node(Node.withScraping(config, new JsonObject().put("whatsapp", new JsonObject().put("baseUrl", ""))));
    Node sender = new Node(config);
    try {
      // The detector has no WhatsApp: its 20 first attempts fail at once and become retries.
      Source backlog = board(detector, "backlog", whatsapp(backlogPhones), 2);
      detector.run(backlog);
      await().atMost(Duration.ofSeconds(10)).until(() -> detector.count("SELECT count(*) FROM scraping_delivery WHERE state = 'pending'"
          + " AND attempts = 1 AND lease_until IS NULL AND next_attempt_at <= now()") == 20);
      Set<String> watched = new java.util.HashSet<>(List.of(backlogPhones));
      watched.add(fresh);
      sender.service.sweep(); // 20 retries queue up at 2 a second
      await().atMost(Duration.ofSeconds(10)).until(() -> wuzapi.accepted().stream().anyMatch(m -> watched.contains(m.phone())));

      Source news = board(sender, "nova", whatsapp(fresh), 1);
      assertThat(sender.run(news).getInteger("itemsNew")).isEqualTo(1);
      long backlogSentBefore = wuzapi.accepted().stream().filter(m -> watched.contains(m.phone()) && !m.phone().equals(fresh)).count();
      await().atMost(Duration.ofSeconds(10)).until(() -> wuzapi.count(fresh) == 1);
      List<String> order = wuzapi.accepted().stream().map(FakeWuzapi.Message::phone).filter(watched::contains).toList();
      // Only retries already past their token when the new item was queued may go ahead of it.
      assertThat(order.indexOf(fresh)).isLessThanOrEqualTo((int) backlogSentBefore + 2).isLessThan(20);
    } finally {
      sender.close();
      detector.close();
    }
  }

  @Test
  void aWuzapiTooManyRequestsHoldsTheWholeChannelForItsRetryAfter() {
    AppConfig config = config(60); // one message a second
    String throttled = "5511966660001";
    String next = "5511966660002";
    wuzapi.failNext(throttled, 1, 429, "3");
    try (Node node = new Node(config)) {
      Source s = board(node, "throttle", whatsapp(throttled, next), 1);
      node.run(s);
      await().atMost(Duration.ofSeconds(15)).until(() -> wuzapi.count(next) == 1);
      long refusedAt = wuzapi.refused().stream().filter(m -> m.phone().equals(throttled)).findFirst().orElseThrow().nanoTime();
      long nextAt = wuzapi.accepted().stream().filter(m -> m.phone().equals(next)).findFirst().orElseThrow().nanoTime();
      // Its slot was a second after the refused one; the 429 said 3 s for the number, not just for that phone.
      assertThat(nextAt - refusedAt).isGreaterThanOrEqualTo(3_000_000_000L);
    }
  }
}
