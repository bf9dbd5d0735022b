package pharmaops.kyc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.support.FakeSmtpServer;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker node dies in the middle of a run (its Vert.x closes without draining: leases are left to expire, sends
 * are cut mid-conversation); another node on the same database takes over. Nobody gets a second reminder, and
 * the run's counts are exact although jobs that had already counted ran again.
 */
class KycCrashIT {
  static final int CUSTOMERS = 120;
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static JsonObject config(JsonObject kyc) {
    return new JsonObject()
        .put("jobs", new JsonObject().put("pollIntervalMs", 200).put("leaseSeconds", 2).put("heartbeatSeconds", 1)
            .put("drainSeconds", 1))
        .put("kyc", kyc.put("schedule", "").put("batchSize", 25).put("concurrency", 4).put("maxAttempts", 10)
            .put("retryBaseMs", 500));
  }

  /** Runs on node A until {@code deliveredSoFar} reaches a third, kills A, finishes on node B; returns B's database. */
  static KycDb crashMidRunAndFinishElsewhere(AppConfig cfg, IntSupplier deliveredSoFar) {
    TestApp a = TestApp.start(cfg);
    KycDb db = new KycDb(vertx, cfg.pg().url(), 4);
    for (int i = 0; i < CUSTOMERS; i++) db.due("crash" + i + "@x", TODAY, i % 30);
    assertThat(a.post("/api/v1/kyc/runs", TestApp.ADMIN_TOKEN, "").status()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> deliveredSoFar.getAsInt() >= CUSTOMERS / 3);
    a.app().vertx().close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    int atCrash = deliveredSoFar.getAsInt();
    assertThat(atCrash).as("the crash came mid-run").isLessThan(CUSTOMERS);

    TestApp b = TestApp.start(cfg);
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
          db.scalar("SELECT count(*) FROM job WHERE type = 'kyc.remind' AND state IN ('succeeded', 'dead')") == CUSTOMERS
              && db.scalar("SELECT count(*) FROM job WHERE type = 'kyc.run' AND state <> 'succeeded'") == 0);
    } finally {
      b.close();
    }
    assertThat(db.scalar("SELECT count(*) FROM job WHERE type = 'kyc.remind' AND state = 'dead'")).isZero();
    return db;
  }

  /** The run as GET /kyc/runs/{id} shows it (the node that ran it is gone by now). */
  static JsonObject theRun(KycDb db) {
    var rows = db.pool.preparedQuery(KycSql.GET_RUN).execute(io.vertx.sqlclient.Tuple.of(db.scalar("SELECT max(id) FROM kyc_run")))
        .await();
    return KycRuns.view(rows.iterator().next());
  }

  /** Every selected customer is counted exactly once although jobs ran again after the crash. */
  static void assertCountsExact(JsonObject run, KycDb db) {
    assertThat(run.getString("state")).as(run.encode()).isEqualTo("completed");
    assertThat(run.getLong("selected")).isEqualTo(CUSTOMERS);
    assertThat(run.getLong("sent") + run.getLong("skipped") + run.getLong("nothingPending") + run.getLong("failed")
        + run.getLong("review")).as("one outcome per selected customer: %s", run.encode()).isEqualTo(CUSTOMERS);
    assertThat(run.getLong("skipped")).as("nobody was reminded by another run").isZero();
    assertThat(run.getLong("sent")).as("run sent = ledger sent")
        .isEqualTo(db.scalar("SELECT count(*) FROM kyc_reminder WHERE state = 'sent'"));
    assertThat(run.getLong("review")).as("run review = ledger review")
        .isEqualTo(db.scalar("SELECT count(*) FROM kyc_reminder WHERE state = 'review'"));
  }

  @Test
  void killingTheWorkerMidRunAndRerunningSendsNoDuplicateEmail() {
    FakeSmtpServer smtp = new FakeSmtpServer(vertx).start();
    smtp.latency(100); // the reply to DATA comes late: a kill then leaves messages received but never confirmed
    AppConfig cfg = TestServices.config(config(new JsonObject().put("smtp", new JsonObject().put("port", smtp.port())
        .put("starttls", "disabled").put("timeoutMs", 1000))));
    try (KycDb db = crashMidRunAndFinishElsewhere(cfg, smtp::delivered)) {
      Set<String> received = new HashSet<>();
      smtp.received().forEach(m -> received.add(m.messageId()));
      List<String> sent = db.strings("SELECT '<' || replace(idempotency_key, ':', '.') || '@pharmaops>' FROM kyc_reminder WHERE state = 'sent'");
      List<String> review = db.strings("SELECT '<' || replace(idempotency_key, ':', '.') || '@pharmaops>' FROM kyc_reminder WHERE state = 'review'");

      assertThat(smtp.duplicates()).as("no customer received the reminder twice").isZero();
      assertThat(sent.size() + review.size()).as("every customer is accounted for in the ledger").isEqualTo(CUSTOMERS);
      assertThat(received).as("every ledger 'sent' row was received").containsAll(sent);
      // Each receipt is a ledger row: sent, or (cut off before the relay's reply) left for review, never resent.
      long reviewReceived = review.stream().filter(received::contains).count();
      assertThat(smtp.delivered()).as("ledger count = SMTP receipts").isEqualTo(sent.size() + (int) reviewReceived);
      JsonObject run = theRun(db);
      assertCountsExact(run, db);
      assertThat(run.getLong("sent") + reviewReceived).as("run sent (+ received review rows) = SMTP receipts")
          .isEqualTo(smtp.delivered());
    } finally {
      smtp.close();
    }
  }

  @Test
  void killingTheWorkerMidRunOverTheWebhookDeliversEveryReminderExactlyOnce() {
    FakeReminderWebhook hook = (FakeReminderWebhook) new FakeReminderWebhook(vertx).start();
    hook.resetAfterActing(3); // some calls act and then never answer: outcome unknown to the sender
    hook.faults(hook.faults().latency(60));
    AppConfig cfg = TestServices.config(config(new JsonObject().put("channel", "webhook")
        .put("webhook", new JsonObject().put("url", hook.url()).put("timeoutMs", 1000))));
    try (KycDb db = crashMidRunAndFinishElsewhere(cfg, hook::delivered)) {
      assertThat(db.scalar("SELECT count(*) FROM kyc_reminder WHERE state = 'sent'"))
          .as("ledger count = reminders acted on").isEqualTo(CUSTOMERS).isEqualTo(hook.delivered());
      assertThat(hook.repeats()).as("unknown outcomes were resent with their key and absorbed").isGreaterThanOrEqualTo(3);
      JsonObject run = theRun(db);
      assertCountsExact(run, db);
      assertThat(run.getLong("sent")).as("run sent = reminders acted on").isEqualTo(hook.delivered());
    } finally {
      hook.close();
    }
  }
}
