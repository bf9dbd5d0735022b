package pharmaops.kyc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pharmaops.support.FakeSmtpServer;
import pharmaops.support.TestApp;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole node: trigger over HTTP, fan-out on the job engine, reminders through a fake SMTP relay. */
class KycFanOutIT {
  static Vertx vertx;
  static FakeSmtpServer smtp;
  static TestApp app;
  static KycDb db;
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    smtp = new FakeSmtpServer(vertx).start();
    app = TestApp.start(config(smtp.port()));
    db = new KycDb(vertx, app.app().config().pg().url(), 4);
  }

  /** Fast engine (short leases and polls) and quick retries; runs only when triggered. */
  static JsonObject config(int smtpPort) {
    return new JsonObject()
        .put("jobs", new JsonObject().put("pollIntervalMs", 200).put("leaseSeconds", 2).put("heartbeatSeconds", 1)
            .put("drainSeconds", 1))
        .put("kyc", new JsonObject().put("schedule", "").put("batchSize", 7).put("concurrency", 4)
            .put("maxAttempts", 5).put("retryBaseMs", 100)
            .put("smtp", new JsonObject().put("port", smtpPort).put("starttls", "disabled").put("timeoutMs", 2000)));
  }

  @AfterAll
  static void stop() {
    db.close();
    app.close();
    smtp.close();
    vertx.close().await();
  }

  @BeforeEach
  void noCustomersNoFaults() {
    db.pool.query("TRUNCATE kyc_customer CASCADE").execute().await();
    smtp.rejectRecipient("nobody", 0, 451);
  }

  static JsonObject trigger() {
    var r = app.post("/api/v1/kyc/runs", TestApp.ADMIN_TOKEN, "");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.header("Location")).isEqualTo("/api/v1/kyc/runs/" + r.json().getLong("id"));
    return r.json();
  }

  static JsonObject awaitCompleted(long runId) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        app.get("/api/v1/kyc/runs/" + runId, TestApp.ADMIN_TOKEN).json().getString("state").equals("completed"));
    return app.get("/api/v1/kyc/runs/" + runId, TestApp.ADMIN_TOKEN).json();
  }

  @Test
  void aRunRemindsEachDueCustomerWithPendingDocumentsOnceAndLogsItsCounts() {
    List<Long> pending = new ArrayList<>();
    for (int i = 0; i < 20; i++) pending.add(db.due("p" + i + "@x", TODAY, i % 30));
    for (int i = 0; i < 4; i++) {
      db.customer("fine" + i + "@x", "active", true, null, Map.of("verification_due_date", TODAY.plusDays(3).toString(),
          "verification_requested", "true"), KycDb.allAccepted());
    }
    long bare = db.customer("bare@x", "active", true, null, Map.of("verification_due_date", TODAY.plusDays(4).toString(),
        "verification_requested", "true"), Map.of()); // no document rows: every required one is missing
    db.due("later@x", TODAY, 31);
    int before = smtp.delivered();

    JsonObject queued = trigger();
    assertThat(queued.getString("state")).isEqualTo("queued");
    assertThat(queued.getString("trigger")).isEqualTo("manual");
    JsonObject run = awaitCompleted(queued.getLong("id"));

    assertThat(run.getLong("selected")).isEqualTo(25);
    assertThat(run.getLong("enqueued")).isEqualTo(25);
    assertThat(run.getLong("sent")).isEqualTo(21);
    assertThat(run.getLong("nothingPending")).isEqualTo(4);
    assertThat(run.getLong("failed")).isZero();
    assertThat(run.getString("startedAt")).isNotNull();
    assertThat(run.getString("finishedAt")).isNotNull();
    assertThat(smtp.delivered() - before).isEqualTo(21);
    assertThat(smtp.duplicates()).isZero();
    assertThat(smtp.timesReceived("<kyc." + bare + "." + run.getString("period") + "@pharmaops>")).isEqualTo(1);

    // The same period again: every customer already has its job (unique key), so nobody is mailed twice.
    JsonObject again = awaitCompleted(trigger().getLong("id"));
    assertThat(again.getLong("selected")).isEqualTo(25);
    assertThat(again.getLong("enqueued")).isZero();
    assertThat(again.getLong("alreadyQueued")).isEqualTo(25);
    assertThat(smtp.delivered() - before).isEqualTo(21);

    var list = app.get("/api/v1/kyc/runs?size=1", TestApp.ADMIN_TOKEN).json();
    assertThat(list.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(again.getLong("id"));
    var next = app.get("/api/v1/kyc/runs?size=1&cursor=" + list.getString("next"), TestApp.ADMIN_TOKEN).json();
    assertThat(next.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(run.getLong("id"));
    assertThat(app.get("/metrics", null).body()).contains("pharmaops_kyc_reminders_total{outcome=\"sent\"}");
  }

  @Test
  void aCustomerWhoseCheckFailsIsRetriedAloneWhileTheOthersComplete() {
    List<Long> others = new ArrayList<>();
    for (int i = 0; i < 12; i++) others.add(db.due("ok" + i + "@x", TODAY, 2));
    long flaky = db.due("flaky@x", TODAY, 2);
    smtp.rejectRecipient("flaky@x", 2, 451);

    JsonObject run = awaitCompleted(trigger().getLong("id"));

    assertThat(run.getLong("sent")).isEqualTo(13);
    assertThat(run.getLong("failed")).isZero();
    assertThat(db.scalar("SELECT attempts FROM job WHERE type = 'kyc.remind' AND (payload->>'customerId')::bigint = $1", flaky))
        .as("the failing customer's job was retried").isEqualTo(3);
    assertThat(db.scalar("SELECT max(attempts) FROM job WHERE type = 'kyc.remind' AND state = 'succeeded' "
        + "AND (payload->>'customerId')::bigint <> $1 AND (payload->>'runId')::bigint = $2", flaky, run.getLong("id")))
        .as("nobody else ran twice").isEqualTo(1);
    assertThat(smtp.rejected()).isEqualTo(2);
    assertThat(smtp.timesReceived("<kyc." + flaky + "." + run.getString("period") + "@pharmaops>")).isEqualTo(1);
    others.forEach(c -> assertThat(smtp.timesReceived("<kyc." + c + "." + run.getString("period") + "@pharmaops>")).isEqualTo(1));
  }

  /**
   * A fault in the customer's own data, not in the channel: a stray ledger row holds this customer's idempotency
   * key, so its claim violates the key's uniqueness on every attempt. Its job dies alone, the run still completes
   * and counts it failed; once the data is fixed, an admin retry of the dead job sends the reminder and the run
   * counts it sent instead.
   */
  @Test
  void aCustomerWhoseCheckThrowsOnItsDataFailsAloneAndTheRunStillCompletes() {
    List<Long> others = new ArrayList<>();
    for (int i = 0; i < 8; i++) others.add(db.due("fine-data" + i + "@x", TODAY, 2));
    long broken = db.due("broken-data@x", TODAY, 2);
    long holder = db.customer("holder@x", "closed", true, null, Map.of(), Map.of());
    String period = KycConfig.from(app.app().config()).periodOf(TODAY);
    db.scalar("INSERT INTO kyc_reminder (customer_id, period, state, channel, idempotency_key, documents) "
        + "VALUES ($1, 'imported', 'sent', 'smtp', $2, '{}') RETURNING 1", holder, Reminder.key(broken, period));

    JsonObject run = awaitCompleted(trigger().getLong("id"));

    assertThat(run.getLong("sent")).isEqualTo(8);
    assertThat(run.getLong("failed")).as("the dead job, counted although no handler said so").isEqualTo(1);
    assertThat(run.getLong("outstanding")).isZero();
    String job = "FROM job WHERE type = 'kyc.remind' AND (payload->>'runId')::bigint = $1 ";
    assertThat(db.scalar("SELECT attempts " + job + "AND (payload->>'customerId')::bigint = $2", run.getLong("id"), broken))
        .as("every attempt was used").isEqualTo(5);
    assertThat(db.scalar("SELECT max(attempts) " + job + "AND (payload->>'customerId')::bigint <> $2", run.getLong("id"), broken))
        .as("nobody else ran twice").isEqualTo(1);
    others.forEach(c -> assertThat(smtp.timesReceived("<kyc." + c + "." + period + "@pharmaops>")).isEqualTo(1));

    db.scalar("DELETE FROM kyc_reminder WHERE customer_id = $1 RETURNING 1", holder);
    long deadJob = db.scalar("SELECT id " + job + "AND (payload->>'customerId')::bigint = $2", run.getLong("id"), broken);
    assertThat(app.post("/api/v1/jobs/" + deadJob + "/retry", TestApp.ADMIN_TOKEN, "").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.get("/api/v1/kyc/runs/" + run.getLong("id"), TestApp.ADMIN_TOKEN).json().getLong("sent") == 9);

    JsonObject after = app.get("/api/v1/kyc/runs/" + run.getLong("id"), TestApp.ADMIN_TOKEN).json();
    assertThat(after.getLong("failed")).isZero();
    assertThat(after.getString("state")).isEqualTo("completed");
    assertThat(smtp.timesReceived("<kyc." + broken + "." + period + "@pharmaops>")).isEqualTo(1);
  }

  @Test
  void runsAreForAdminsOnly() {
    String analyst = app.tokenWithRoles("analyst");
    assertThat(app.get("/api/v1/kyc/runs", analyst).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/kyc/runs", analyst, "").status()).isEqualTo(403);
    assertThat(app.get("/api/v1/kyc/runs?cursor=abc", TestApp.ADMIN_TOKEN).status()).isEqualTo(400);
    assertThat(app.get("/api/v1/kyc/runs/999999", TestApp.ADMIN_TOKEN).status()).isEqualTo(404);
  }
}
