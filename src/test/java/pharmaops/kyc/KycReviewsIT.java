package pharmaops.kyc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.FakeSmtpServer;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reminders left for review over HTTP: a relay that takes each message and drops the connection before
 * confirming leaves every outcome unknown; an admin lists those rows and resolves them as sent or to resend.
 */
class KycReviewsIT {
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  static Vertx vertx;
  static FakeSmtpServer smtp;
  static TestApp app;
  static KycDb db;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    smtp = new FakeSmtpServer(vertx).start();
    JsonObject cfg = KycFanOutIT.config(smtp.port());
    // Short sends (the in-flight window is twice the timeout) and enough attempts to get past it to 'review'.
    cfg.getJsonObject("kyc").put("maxAttempts", 10).put("retryBaseMs", 200).getJsonObject("smtp").put("timeoutMs", 500);
    app = TestApp.start(cfg);
    db = new KycDb(vertx, app.app().config().pg().url(), 2);
  }

  @AfterAll
  static void stop() {
    db.close();
    app.close();
    smtp.close();
    vertx.close().await();
  }

  private static JsonObject run(long id) {
    return app.get("/api/v1/kyc/runs/" + id, TestApp.ADMIN_TOKEN).json();
  }

  private static TestApp.Resp resolve(long reminderId, String resolution) {
    return app.post("/api/v1/kyc/reviews/" + reminderId + "/resolve", TestApp.ADMIN_TOKEN,
        new JsonObject().put("resolution", resolution).encode());
  }

  @Test
  void reviewRowsAreListedPageByPageAndResolvedAsSentOrResentOnce() {
    List<Long> customers = new ArrayList<>();
    for (int i = 0; i < 3; i++) customers.add(db.due("review" + i + "@x", TODAY, 3));
    smtp.dropAfterData(true);
    var trigger = app.post("/api/v1/kyc/runs", TestApp.ADMIN_TOKEN, "");
    assertThat(trigger.status()).isEqualTo(202);
    long runId = trigger.json().getLong("id");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "completed".equals(run(runId).getString("state")));
    smtp.dropAfterData(false);
    assertThat(run(runId).getLong("review")).isEqualTo(3);

    JsonObject first = app.get("/api/v1/kyc/reviews?size=2", TestApp.ADMIN_TOKEN).json();
    JsonObject second = app.get("/api/v1/kyc/reviews?size=2&cursor=" + first.getString("next"), TestApp.ADMIN_TOKEN).json();
    JsonArray items = first.getJsonArray("items").copy().addAll(second.getJsonArray("items"));
    assertThat(second.getString("next")).isNull();
    assertThat(items.stream().map(o -> ((JsonObject) o).getLong("customerId")).toList())
        .containsExactlyInAnyOrderElementsOf(customers);
    JsonObject a = items.getJsonObject(0);
    JsonObject b = items.getJsonObject(1);
    assertThat(a.getLong("runId")).isEqualTo(runId);
    assertThat(a.getJsonArray("documents")).containsExactly("proof_of_address");
    assertThat(a.getString("email")).startsWith("review");

    // a: the operator saw it in the relay's log. The run counts it sent; nothing goes out again.
    var markedSent = resolve(a.getLong("id"), "sent");
    assertThat(markedSent.status()).as(markedSent.toString()).isEqualTo(200);
    assertThat(run(runId).getLong("sent")).isEqualTo(1);
    assertThat(run(runId).getLong("review")).isEqualTo(2);
    assertThat(db.strings("SELECT state || ' ' || coalesce(resolved_by, '-') FROM kyc_reminder WHERE id = $1", a.getLong("id")))
        .singleElement().asString().startsWith("sent ").doesNotEndWith(" -");

    // b: it never arrived. A job sends it once more and the run moves it from review to sent.
    var resent = resolve(b.getLong("id"), "resend");
    assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
    assertThat(resent.json().getLong("jobId")).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> run(runId).getLong("sent") == 2);
    String bMessage = "<kyc." + b.getLong("customerId") + "." + b.getString("period") + "@pharmaops>";
    assertThat(smtp.timesReceived(bMessage)).as("the lost copy and the resend").isEqualTo(2);
    assertThat(run(runId).getLong("review")).isEqualTo(1);
    assertThat(run(runId).getString("state")).isEqualTo("completed");

    assertThat(app.get("/api/v1/kyc/reviews", TestApp.ADMIN_TOKEN).json().getJsonArray("items")).hasSize(1);
    assertThat(resolve(a.getLong("id"), "sent").status()).as("already resolved").isEqualTo(409);
    assertThat(resolve(b.getLong("id"), "resend").status()).as("its row is gone with the resend").isEqualTo(404);
    assertThat(smtp.timesReceived(bMessage)).isEqualTo(2);
  }

  @Test
  void reviewsAreForAdminsAndTakeOnlyAKnownResolution() {
    String analyst = app.tokenWithRoles("analyst");
    assertThat(app.get("/api/v1/kyc/reviews", analyst).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/kyc/reviews/1/resolve", analyst, "{\"resolution\":\"sent\"}").status()).isEqualTo(403);
    assertThat(resolve(1, "maybe").status()).isEqualTo(400);
    assertThat(app.post("/api/v1/kyc/reviews/1/resolve", TestApp.ADMIN_TOKEN, "{}").status()).isEqualTo(400);
    assertThat(resolve(999_999, "sent").status()).isEqualTo(404);
    assertThat(app.get("/api/v1/kyc/reviews?cursor=abc", TestApp.ADMIN_TOKEN).status()).isEqualTo(400);
  }
}
