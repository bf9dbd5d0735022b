package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One customer's check, and the protocol that sends at most one reminder per customer and period even when the
 * job runs again after a failure or a crash (the engine is at-least-once):
 * <ol>
 *   <li>claim: insert the ledger row {@code (customer, period)} as {@code sending} and commit, before anything
 *       leaves. Only the attempt whose insert created the row may send; the primary key makes it one at most.</li>
 *   <li>send with the idempotency key {@code kyc:<customer>:<period>} (webhook header, e-mail Message-ID).</li>
 *   <li>mark {@code sent} and set the customer's outcome in the run in one transaction.</li>
 * </ol>
 * When the channel says it certainly did not take the message, the claim is dropped and the job's retry claims
 * again. A later attempt that finds {@code sending} cannot know whether the message left (the worker died between
 * 2 and 3): with a channel that dedupes by key (webhook) it resends with the same key, which cannot deliver twice;
 * over SMTP, which has no such guarantee, it marks the row {@code review} for a person to decide, because a
 * missing reminder can be sent by hand while a duplicate cannot be taken back. A claim younger than the longest a
 * send can take may belong to an attempt still sending: the retry waits for it instead of deciding.
 * <p>
 * Counting is idempotent per run and customer ({@link #count}): a retry after a crash that finds its own run's
 * reminder sent reports {@code sent} again and counts nothing more.
 */
final class Reminders {
  private static final Logger log = LoggerFactory.getLogger(Reminders.class);
  private final Pool pool;
  private final LedgerBatches ledger;
  private final Notifier notifier;
  private final KycMetrics metrics;
  private final long inFlightMs;

  /**
   * @param ledger   the check and sent-mark statements, shared by concurrent jobs
   * @param inFlight how long a claim may belong to an attempt that is still sending (longer than a send may take)
   */
  Reminders(Pool pool, LedgerBatches ledger, Notifier notifier, KycMetrics metrics, Duration inFlight) {
    this.pool = pool;
    this.ledger = ledger;
    this.notifier = notifier;
    this.metrics = metrics;
    this.inFlightMs = inFlight.toMillis();
  }

  /**
   * Checks one customer's documents and sends the period's reminder when something is pending: one statement to
   * check and claim, one to mark it sent, each shared with the other jobs running at the time ({@link LedgerBatches}).
   * No connection is held across a transaction while a statement travels.
   */
  Future<Outcome> check(long customerId, String period, Long runId) {
    String key = Reminder.key(customerId, period);
    return ledger.check(new LedgerBatches.Check(customerId, period, runId, key)).compose(c -> {
      if (c.pending().length == 0) { // nothing pending, or deleted since selection: counted already
        metrics.outcome(Outcome.NOTHING_PENDING);
        return Future.succeededFuture(Outcome.NOTHING_PENDING);
      }
      Reminder r = new Reminder(customerId, c.email(), c.name(), period, Arrays.asList(c.pending()), key);
      return c.claimed() ? deliver(r, runId) : resume(r, runId);
    });
  }

  private Future<Outcome> deliver(Reminder r, Long runId) {
    return notifier.send(r).transform(ar -> {
      if (ar.succeeded()) return markSent(r, runId);
      Throwable e = ar.cause();
      if (e instanceof Notifier.DeliveryException d && d.notDelivered()) {
        return pool.preparedQuery(KycSql.RELEASE).execute(Tuple.of(r.customerId(), r.period()))
            .compose(v -> Future.failedFuture(e));
      }
      // Unknown outcome: the claim stays 'sending' and the retry decides (see the class comment).
      log.warn("kyc reminder outcome unknown {} {} {}", kv("customerId", r.customerId()), kv("period", r.period()),
          kv("error", String.valueOf(e)));
      return Future.failedFuture(e);
    });
  }

  private Future<Outcome> resume(Reminder r, Long runId) {
    return pool.preparedQuery(KycSql.LEDGER_STATE).execute(Tuple.of(r.customerId(), r.period(), inFlightMs)).compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(new IllegalStateException("claim released concurrently; retry"));
      var row = rows.iterator().next();
      String state = row.getString("state");
      if (state.equals("sending") && row.getBoolean("in_flight")) {
        // Another attempt (a job whose lease was taken over) may be sending right now: decide after it is done.
        return Future.failedFuture(new IllegalStateException("reminder " + r.idempotencyKey() + " is being sent; retry later"));
      }
      return switch (state) {
        // Sent by an earlier attempt of this run (which died before its job completed), or by another run.
        case "sent" -> record(runId, r.customerId(), runId != null && runId.equals(row.getLong("run_id"))
            ? Outcome.SENT : Outcome.SKIPPED);
        case "review" -> record(runId, r.customerId(), Outcome.REVIEW);
        default -> notifier.resendIsIdempotent() ? deliver(r, runId) : markReview(r, runId);
      };
    });
  }

  private Future<Outcome> markSent(Reminder r, Long runId) {
    return ledger.markSent(new LedgerBatches.Mark(r.customerId(), r.period(), runId))
        .map(marked -> marked ? Outcome.SENT : Outcome.SKIPPED)
        .onSuccess(metrics::outcome);
  }

  private Future<Outcome> markReview(Reminder r, Long runId) {
    log.warn("kyc reminder left for review: an earlier attempt may have sent it {} {}", kv("customerId", r.customerId()),
        kv("period", r.period()));
    return pool.preparedQuery(KycSql.MARK_REVIEW).execute(Tuple.of(runId, r.customerId(), r.period()))
        .map(rows -> rows.iterator().next().getBoolean("marked") ? Outcome.REVIEW : Outcome.SKIPPED)
        .onSuccess(metrics::outcome);
  }

  private Future<Outcome> record(Long runId, long customerId, Outcome o) {
    return count(pool, runId, customerId, o).map(o).onSuccess(metrics::outcome);
  }

  /** Sets the customer's outcome in the run ({@link KycSql#SET_OUTCOME}); nothing to count outside a run. */
  static Future<Void> count(SqlClient db, Long runId, long customerId, Outcome o) {
    if (runId == null) return Future.succeededFuture();
    return db.preparedQuery(KycSql.SET_OUTCOME).execute(Tuple.of(runId, customerId, o.wire()))
        .mapEmpty();
  }
}
