package pharmaops.kyc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pharmaops.support.FakeSmtpServer;
import pharmaops.support.TestServices;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The reminder ledger protocol against a real PostgreSQL and fake remote channels that count real deliveries. */
class RemindersIT {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  static Vertx vertx;
  static KycDb db;
  static FakeSmtpServer smtp;
  static FakeReminderWebhook webhook;
  static Reminders byMail;
  static Reminders byWebhook;
  static Reminders guarded;
  static SmtpNotifier mailer;
  static long runId;
  static long otherRunId;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = new KycDb(vertx, TestServices.freshDatabase(), 8);
    smtp = new FakeSmtpServer(vertx).start();
    webhook = (FakeReminderWebhook) new FakeReminderWebhook(vertx).start();
    var metrics = new KycMetrics(new SimpleMeterRegistry());
    mailer = new SmtpNotifier(vertx, new KycConfig.Smtp("127.0.0.1", smtp.port(), "kyc@test", "disabled", false, "U",
        Optional.empty(), "P", Optional.empty(), 2_000, 4));
    // No in-flight window: these tests play the retry that comes after the earlier attempt is certainly over.
    byMail = new Reminders(db.pool, new LedgerBatches(vertx, db.pool, mailer.channel()), mailer, metrics, Duration.ZERO);
    guarded = new Reminders(db.pool, new LedgerBatches(vertx, db.pool, mailer.channel()), mailer, metrics, Duration.ofSeconds(30));
    byWebhook = new Reminders(db.pool, new LedgerBatches(vertx, db.pool, "webhook"), new WebhookNotifier(vertx, new KycConfig.Webhook(webhook.url(), "T", Optional.empty(), 2_000), 4),
        metrics, Duration.ZERO);
    runId = newRun();
    otherRunId = newRun();
  }

  static long newRun() {
    return db.scalar("INSERT INTO kyc_run (trigger, period, day, due_until, state) VALUES ('manual', 'p', $1, $1, 'dispatched') RETURNING id", TODAY);
  }

  private static long counter(String column, long run) {
    return db.scalar("SELECT coalesce(sum(" + column + "), 0) FROM kyc_run_count WHERE run_id = $1", run);
  }

  private static String documents(long customer, String period) {
    return db.strings("SELECT array_to_string(documents, ',') FROM kyc_reminder WHERE customer_id = $1 AND period = $2",
        customer, period).get(0);
  }

  @AfterAll
  static void stop() {
    smtp.close();
    webhook.close();
    db.close();
    vertx.close().await();
  }

  @BeforeEach
  void noFaults() {
    smtp.dropAfterData(false);
    smtp.latency(0);
    smtp.rejectRecipient("nobody", 0, 451);
  }

  private static String state(long customer, String period) {
    List<String> s = db.strings("SELECT state FROM kyc_reminder WHERE customer_id = $1 AND period = $2", customer, period);
    return s.isEmpty() ? null : s.get(0);
  }

  @Test
  void aCustomerWithPendingDocumentsGetsOneEmailPerPeriodAndRerunsSkip() {
    long c = db.due("once@x", TODAY, 5);
    int before = smtp.delivered();

    assertThat(byMail.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.SENT);
    assertThat(byMail.check(c, "2026-W48", runId).await()).as("the same run again: its own reminder, not resent")
        .isEqualTo(Outcome.SENT);
    assertThat(byMail.check(c, "2026-W48", otherRunId).await()).as("another run of the period").isEqualTo(Outcome.SKIPPED);
    assertThat(byMail.check(c, "2026-W49", runId).await()).as("a new period is a new reminder").isEqualTo(Outcome.SENT);

    assertThat(smtp.delivered() - before).isEqualTo(2);
    var mail = smtp.received().get(smtp.received().size() - 1);
    assertThat(mail.recipients()).containsExactly("once@x");
    assertThat(mail.messageId()).isEqualTo("<kyc." + c + ".2026-W49@pharmaops>");
    assertThat(mail.data()).contains("proof_of_address");
    assertThat(state(c, "2026-W48")).isEqualTo("sent");
  }

  @Test
  void aCustomerWithEveryRequiredDocumentAcceptedGetsNothing() {
    var docs = new java.util.HashMap<>(KycDb.allAccepted());
    docs.put("selfie", "approved"); // not required, and in order anyway
    long c = db.customer("fine@x", "active", true, null, Map.of(), docs);
    int before = smtp.delivered();
    assertThat(byMail.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.NOTHING_PENDING);
    assertThat(smtp.delivered()).isEqualTo(before);
    assertThat(state(c, "2026-W48")).isNull();
  }

  @Test
  void aCustomerWithNoDocumentRowsIsRemindedOfEveryRequiredKind() {
    long c = db.customer("bare@x", "active", true, null, Map.of(), Map.of());

    assertThat(byMail.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.SENT);

    assertThat(documents(c, "2026-W48")).isEqualTo("id_back,id_front,proof_of_address");
    var mail = smtp.received().get(smtp.received().size() - 1);
    assertThat(mail.messageId()).isEqualTo("<kyc." + c + ".2026-W48@pharmaops>");
    assertThat(mail.data()).contains("id_back, id_front, proof_of_address");
  }

  @Test
  void aMissingRequiredKindAndARejectedOptionalOneAreBothPendingButASubmittedOneIsNot() {
    long c = db.customer("partial@x", "active", true, null, Map.of(),
        Map.of("id_front", "submitted", "proof_of_address", "approved", "selfie", "rejected"));

    assertThat(byMail.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.SENT);

    assertThat(documents(c, "2026-W48")).as("id_back has no row; selfie was asked of this customer and rejected")
        .isEqualTo("id_back,selfie");
    assertThat(smtp.received().get(smtp.received().size() - 1).data()).contains("id_back, selfie");
  }

  @Test
  void aRefusedRecipientReleasesTheClaimSoTheRetrySends() {
    long c = db.due("busy@x", TODAY, 5);
    smtp.rejectRecipient("busy@x", 1, 451);

    Throwable first = catchThrowable(() -> byMail.check(c, "2026-W48", runId).await());
    assertThat(first).isInstanceOf(Notifier.DeliveryException.class);
    assertThat(((Notifier.DeliveryException) first).notDelivered()).isTrue();
    assertThat(state(c, "2026-W48")).as("nothing left: the relay said no").isNull();

    assertThat(byMail.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.SENT);
    assertThat(smtp.timesReceived("<kyc." + c + ".2026-W48@pharmaops>")).isEqualTo(1);
  }

  @Test
  void anUnknownSmtpOutcomeIsLeftForReviewAndNeverResent() {
    long c = db.due("unknown@x", TODAY, 5);
    long run = newRun();
    smtp.dropAfterData(true);
    assertThat(catchThrowable(() -> byMail.check(c, "2026-W48", run).await())).isInstanceOf(Notifier.DeliveryException.class);
    assertThat(state(c, "2026-W48")).isEqualTo("sending");
    smtp.dropAfterData(false);

    assertThat(byMail.check(c, "2026-W48", run).await()).isEqualTo(Outcome.REVIEW);
    assertThat(byMail.check(c, "2026-W48", run).await()).isEqualTo(Outcome.REVIEW);
    assertThat(counter("review", run)).as("counted once").isEqualTo(1);

    assertThat(smtp.timesReceived("<kyc." + c + ".2026-W48@pharmaops>")).as("the relay got it once, and only once").isEqualTo(1);
    assertThat(state(c, "2026-W48")).isEqualTo("review");
  }

  @Test
  void anUnknownWebhookOutcomeIsResentWithTheSameKeyAndActedOnOnce() {
    long c = db.due("hook@x", TODAY, 5);
    webhook.resetAfterActing(1);
    assertThat(catchThrowable(() -> byWebhook.check(c, "2026-W48", runId).await())).isInstanceOf(Notifier.DeliveryException.class);
    assertThat(state(c, "2026-W48")).isEqualTo("sending");
    int repeatsBefore = webhook.repeats();

    assertThat(byWebhook.check(c, "2026-W48", runId).await()).isEqualTo(Outcome.SENT);

    assertThat(webhook.repeats() - repeatsBefore).as("the resend carried the same key").isEqualTo(1);
    assertThat(state(c, "2026-W48")).isEqualTo("sent");
  }

  @Test
  void concurrentChecksOfOneCustomerSendOneEmailAndTheOthersWaitInsteadOfDeciding() {
    long c = db.due("race@x", TODAY, 5);
    long run = newRun();
    smtp.latency(50);
    List<Future<Outcome>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) all.add(guarded.check(c, "2026-W48", run));
    Future.join(all).otherwiseEmpty().await();

    // One sends; the others either wait (fail, to be retried) or, arriving after it, see their run's reminder sent.
    // None decides "review", and the run counts the customer once.
    assertThat(all).filteredOn(Future::succeeded).extracting(Future::result).isNotEmpty().containsOnly(Outcome.SENT);
    assertThat(counter("sent", run)).isEqualTo(1);
    assertThat(all).filteredOn(Future::failed)
        .allSatisfy(f -> assertThat(f.cause()).hasMessageContaining("is being sent"));
    assertThat(smtp.timesReceived("<kyc." + c + ".2026-W48@pharmaops>")).isEqualTo(1);
    assertThat(state(c, "2026-W48")).isEqualTo("sent");
  }

  @Test
  void outcomesAddUpInTheRunCountersOncePerCustomerHoweverOftenItsCheckRuns() {
    long r = newRun();
    long a = db.due("count-a@x", TODAY, 5);
    long b = db.due("count-b@x", TODAY, 5);
    long fine = db.customer("count-fine@x", "active", true, null, Map.of(), KycDb.allAccepted());
    long later = db.customer("count-later@x", "active", true, null, Map.of(), KycDb.allAccepted());
    byMail.check(b, "2026-W50", otherRunId).await(); // b was reminded by another run of the period

    // Every check twice, as a job does when its worker dies after counting and before the job completes.
    for (int i = 0; i < 2; i++) {
      byMail.check(a, "2026-W50", r).await();
      byMail.check(b, "2026-W50", r).await();
      byMail.check(fine, "2026-W50", r).await();
      byMail.check(later, "2026-W50", r).await();
    }
    // A better-informed retry replaces the outcome: a document was rejected after the first check.
    db.pool.preparedQuery("UPDATE kyc_document SET state = 'rejected' WHERE customer_id = $1 AND kind = 'id_back'")
        .execute(io.vertx.sqlclient.Tuple.of(later)).await();
    assertThat(byMail.check(later, "2026-W50", r).await()).isEqualTo(Outcome.SENT);

    assertThat(counter("sent", r)).as("a and later").isEqualTo(2);
    assertThat(counter("skipped", r)).as("b").isEqualTo(1);
    assertThat(counter("nothing_pending", r)).as("fine; later's first outcome was replaced").isEqualTo(1);
    assertThat(counter("review", r)).isZero();
    assertThat(db.scalar("SELECT count(*) FROM kyc_run_outcome WHERE run_id = $1", r)).isEqualTo(4);
  }

  /** Checks started in one event-loop turn, as the engine starts a claimed batch of jobs, in one statement. */
  private static List<Future<Outcome>> inOneTurn(Reminders reminders, List<Long> customers, String period, long run) {
    var context = vertx.getOrCreateContext();
    List<Future<Outcome>> all = new ArrayList<>();
    io.vertx.core.Promise<Void> started = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      for (long c : customers) all.add(reminders.check(c, period, run));
      started.complete();
    });
    started.future().await();
    Future.join(new ArrayList<>(all)).otherwiseEmpty().await();
    return all;
  }

  @Test
  void checksStartedTogetherEachGetTheirOwnOutcomeAndCount() {
    long r = newRun();
    List<Long> customers = new ArrayList<>();
    for (int i = 0; i < 10; i++) customers.add(db.due("batch-" + i + "@x", TODAY, 5));
    for (int i = 0; i < 10; i++) customers.add(db.customer("batch-fine-" + i + "@x", "active", true, null, Map.of(), KycDb.allAccepted()));
    customers.add(987_654_321L); // deleted since it was selected
    int before = smtp.delivered();

    List<Future<Outcome>> all = inOneTurn(byMail, customers, "2026-W51", r);

    assertThat(all).extracting(Future::result).containsExactlyElementsOf(java.util.stream.Stream.concat(
        java.util.Collections.nCopies(10, Outcome.SENT).stream(), java.util.Collections.nCopies(11, Outcome.NOTHING_PENDING).stream()).toList());
    assertThat(smtp.delivered() - before).isEqualTo(10);
    assertThat(counter("sent", r)).isEqualTo(10);
    assertThat(counter("nothing_pending", r)).isEqualTo(11);
    for (int i = 0; i < 10; i++) assertThat(state(customers.get(i), "2026-W51")).isEqualTo("sent");
  }

  @Test
  void aCheckTheDatabaseRefusesFailsItsOwnJobWhileTheOthersOfItsStatementGoOn() {
    long r = newRun();
    long bad = db.due("batch-bad@x", TODAY, 5);
    long ok1 = db.due("batch-ok1@x", TODAY, 5);
    long ok2 = db.due("batch-ok2@x", TODAY, 5);
    // Another customer's ledger row already holds bad's idempotency key: claiming bad's reminder violates its uniqueness.
    db.scalar("INSERT INTO kyc_reminder (customer_id, period, state, channel, idempotency_key, documents)"
        + " VALUES ($1, 'other', 'sent', 'smtp', $2, '{}') RETURNING 1", ok1, Reminder.key(bad, "2026-W52"));
    int before = smtp.delivered();

    List<Future<Outcome>> all = inOneTurn(byMail, List.of(ok1, bad, ok2), "2026-W52", r);

    assertThat(all.get(0).result()).isEqualTo(Outcome.SENT);
    assertThat(all.get(1).failed()).isTrue();
    assertThat(all.get(1).cause()).hasMessageContaining("idempotency_key");
    assertThat(all.get(2).result()).isEqualTo(Outcome.SENT);
    assertThat(smtp.delivered() - before).isEqualTo(2);
    assertThat(state(bad, "2026-W52")).isNull();
  }
}
