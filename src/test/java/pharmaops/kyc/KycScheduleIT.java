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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cron path: two nodes evaluate the schedule, each slot becomes one run, and slots after the first mail nobody. */
class KycScheduleIT {
  static Vertx vertx;
  static FakeSmtpServer smtp;
  static TestApp first;
  static TestApp second;
  static KycDb db;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    smtp = new FakeSmtpServer(vertx).start();
    JsonObject overrides = KycFanOutIT.config(smtp.port());
    overrides.getJsonObject("kyc").put("schedule", "@every 2s");
    AppConfig cfg = TestServices.config(overrides);
    db = new KycDb(vertx, cfg.pg().url(), 2);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (int i = 0; i < 5; i++) db.due("sched" + i + "@x", today, 1 + i);
    first = TestApp.start(cfg);
    second = TestApp.start(cfg); // another node on the same database: the same slots, never a second run for one
  }

  @AfterAll
  static void stop() {
    db.close();
    second.close();
    first.close();
    smtp.close();
    vertx.close().await();
  }

  @Test
  void eachScheduledSlotIsOneRunAndOnlyTheFirstMailsAnybody() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
        db.scalar("SELECT count(*) FROM kyc_run WHERE trigger = 'schedule' AND state = 'dispatched'") >= 3);

    var runs = first.get("/api/v1/kyc/runs", TestApp.ADMIN_TOKEN).json().getJsonArray("items");
    assertThat(runs).isNotEmpty();
    assertThat(runs.getJsonObject(0).getString("trigger")).isEqualTo("schedule");
    long jobs = db.scalar("SELECT count(*) FROM job WHERE type = 'kyc.run'");
    long slots = db.scalar("SELECT round(extract(epoch FROM max(created_at) - min(created_at)) / 2)::bigint + 1 "
        + "FROM job WHERE type = 'kyc.run'");
    assertThat(jobs).as("one fan-out job per 2 s slot although two nodes evaluate the schedule").isLessThanOrEqualTo(slots);
    await().atMost(Duration.ofSeconds(30)).until(() -> smtp.delivered() == 5);
    assertThat(db.scalar("SELECT sum(enqueued) FROM kyc_run")).as("later slots of the period enqueue nobody").isEqualTo(5);
    assertThat(smtp.duplicates()).isZero();
  }
}
