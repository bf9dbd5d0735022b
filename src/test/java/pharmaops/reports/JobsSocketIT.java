package pharmaops.reports;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pharmaops.reports.ReportsSupport.user;

/** {@code /ws/jobs}: progress and completion of one's own jobs, and nothing of anyone else's. */
class JobsSocketIT {
  static TestApp app;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("jobs", new JsonObject().put("progressIntervalMs", 0))
        .put("reports", new JsonObject().put("chunkSize", 10)));
    ReportsSupport.seed(app, "EMS", 200);
    client = app.app().vertx().createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private record Socket(WebSocket ws, List<JsonObject> received) {
    void send(String json) {
      get(ws.writeTextMessage(json));
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Socket connect(String token) {
    WebSocket ws = get(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.port())
        .setURI("/ws/jobs?access_token=" + token)));
    List<JsonObject> got = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(t -> got.add(new JsonObject(t)));
    return new Socket(ws, got);
  }

  private static long submit(String token) {
    var r = app.post("/api/v1/reports", token, "{\"type\":\"catalogue\",\"filters\":{\"manufacturer\":\"EMS\"}}");
    assertThat(r.status()).isEqualTo(202);
    return r.json().getLong("id");
  }

  @Test
  void ownerReceivesProgressAndCompletionAndNobodyElseDoes() {
    String maria = user(app, "maria@ws", "analyst");
    String joao = user(app, "joao@ws", "analyst");
    Socket m = connect(maria);
    Socket j = connect(joao);
    m.send("{\"subscribe\":\"mine\"}");
    j.send("{\"subscribe\":\"mine\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> m.received().size() == 1 && j.received().size() == 1);
    assertThat(m.received().get(0).getString("subscribed")).isEqualTo("mine");

    long id = submit(maria);
    await().atMost(Duration.ofSeconds(30)).until(() -> m.received().stream()
        .anyMatch(e -> e.getLong("id", -1L) == id && "succeeded".equals(e.getString("state"))));
    List<JsonObject> mine = m.received().stream().filter(e -> e.getLong("id", -1L) == id).toList();
    assertThat(mine).extracting(e -> e.getString("state")).contains("queued", "running", "succeeded");
    assertThat(mine).anyMatch(e -> e.getJsonObject("details") != null && e.getJsonObject("details").getLong("rowsWritten") > 0);
    assertThat(mine).allSatisfy(e -> assertThat(e.getString("owner")).isEqualTo("maria@ws"));

    // Joao asks for Maria's job by id: it does not exist for him, and nothing of it ever reaches him.
    j.send("{\"subscribe\":" + id + "}");
    await().atMost(Duration.ofSeconds(5)).until(() -> j.received().size() == 2);
    assertThat(j.received().get(1).getString("error")).isEqualTo("no job " + id);
    long second = submit(maria);
    await().atMost(Duration.ofSeconds(30)).until(() -> m.received().stream()
        .anyMatch(e -> e.getLong("id", -1L) == second && "succeeded".equals(e.getString("state"))));
    assertThat(j.received()).noneMatch(e -> e.containsKey("state"));
    m.ws().close();
    j.ws().close();
  }

  @Test
  void subscribingToOneJobSendsItsCurrentStateFirst() {
    String ana = user(app, "ana@ws", "analyst");
    long id = submit(ana);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        "succeeded".equals(app.get("/api/v1/reports/" + id, ana).json().getString("state")));
    Socket s = connect(ana);
    s.send("{\"subscribe\":" + id + "}");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.received().size() == 2);
    assertThat(s.received().get(0).getLong("subscribed")).isEqualTo(id);
    assertThat(s.received().get(1).getString("state")).isEqualTo("succeeded");
    s.send("not json");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.received().size() == 3);
    assertThat(s.received().get(2).getString("error")).contains("subscribe");
    s.ws().close();
  }

  @Test
  void clientThatStopsReadingIsDisconnectedInsteadOfBufferedForWithoutBound() {
    String slow = user(app, "slow@ws", "analyst");
    Socket s = connect(slow);
    s.send("{\"subscribe\":\"mine\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.received().size() == 1);
    Short[] close = new Short[1];
    String[] reason = new String[1];
    s.ws().closeHandler(v -> {
      reason[0] = s.ws().closeReason();
      close[0] = s.ws().closeStatusCode();
    });
    s.ws().pause(); // the client stops reading: TCP buffers fill, then the server's write queue
    String pad = "x".repeat(32 * 1024);
    int published = 1000; // 32 MB: far more than socket buffers hold
    for (int i = 0; i < published; i++) {
      app.app().vertx().eventBus().publish("jobs.updated", new JsonObject().put("id", 1_000_000 + i).put("type", "t.flood")
          .put("state", "running").put("owner", "slow@ws").put("details", new JsonObject().put("pad", pad)));
    }
    s.ws().resume();
    await().atMost(Duration.ofSeconds(30)).until(() -> close[0] != null);
    assertThat(close[0]).isEqualTo((short) 1013);
    assertThat(reason[0]).contains("too slow");
    assertThat(s.received().size()).as("the rest was dropped").isLessThan(published);
  }

  @Test
  void socketWithoutAValidTokenIsRefused() {
    Future<WebSocket> none = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.port()).setURI("/ws/jobs"));
    assertThat(none.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    Future<WebSocket> bad = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.port())
        .setURI("/ws/jobs?access_token=pho_nope"));
    assertThat(bad.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
  }
}
