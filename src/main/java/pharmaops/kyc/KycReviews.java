package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.NewJob;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Ledger rows left in {@code review} (an SMTP send whose outcome is unknown) and a person's decision on each:
 * {@code sent} (the customer got it: the row becomes a normal sent one) or {@code resend} (it did not arrive: the
 * row is dropped and a reminder job sends it once more). Either way the run's counters move from review.
 */
final class KycReviews {
  private static final Logger log = LoggerFactory.getLogger(KycReviews.class);

  enum Resolution {
    SENT, RESEND;

    static Optional<Resolution> of(String s) {
      return Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(s)).findFirst();
    }
  }

  /** What resolving found: the resolved row, or why nothing changed. */
  sealed interface Result {
    record Resolved(JsonObject view) implements Result {}

    record NotInReview(String state) implements Result {}

    record NotFound() implements Result {}
  }

  private final Pool pool;
  private final JobQueue queue;

  KycReviews(Pool pool, JobQueue queue) {
    this.pool = pool;
    this.queue = queue;
  }

  /** Oldest first: {@code {"items": [...], "next": cursor|null}}; the cursor is the last id of the page. */
  Future<JsonObject> list(Long after, int size) {
    return pool.preparedQuery(KycSql.LIST_REVIEWS).execute(Tuple.of(after == null ? 0L : after, size + 1)).map(rows -> {
      JsonArray items = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        if (items.size() == size) return page(items, last, true);
        items.add(view(r));
        last = r.getLong("id");
      }
      return page(items, last, false);
    });
  }

  private static JsonObject page(JsonArray items, Long last, boolean more) {
    return new JsonObject().put("items", items).put("next", more ? String.valueOf(last) : null);
  }

  /** The decision and its consequences (row change, run counters, resend job) commit together. */
  Future<Result> resolve(long id, Resolution resolution, String by) {
    return pool.withTransaction(tx -> (resolution == Resolution.SENT
            ? tx.preparedQuery(KycSql.RESOLVE_SENT).execute(Tuple.of(id, by))
            : tx.preparedQuery(KycSql.RESOLVE_RESEND).execute(Tuple.of(id)))
        .compose(rows -> rows.size() == 0 ? whyNot(tx, id) : apply(tx, id, resolution, by, rows.iterator().next())));
  }

  private Future<Result> apply(SqlClient tx, long id, Resolution resolution, String by, Row r) {
    long customerId = r.getLong("customer_id");
    String period = r.getString("period");
    Long runId = r.getLong("run_id");
    JsonObject view = new JsonObject().put("id", id).put("customerId", customerId).put("period", period)
        .put("runId", runId).put("resolution", resolution.name().toLowerCase(Locale.ROOT)).put("resolvedBy", by);
    log.info("kyc review resolved {} {} {} {} {}", kv("reminderId", id), kv("customerId", customerId), kv("period", period),
        kv("resolution", view.getString("resolution")), kv("by", by));
    if (resolution == Resolution.SENT) {
      return Reminders.count(tx, runId, customerId, Outcome.SENT).map(v -> new Result.Resolved(view));
    }
    // The run's original job has succeeded (with 'review') and holds the period's unique key: the resend job
    // needs a key of its own, one per ledger row resolved.
    NewJob job = NewJob.of(KycModule.REMIND, new JsonObject().put("customerId", customerId).put("period", period)
        .put("runId", runId)).uniqueKey(Reminder.key(customerId, period) + ":resend:" + id).owner(by);
    return queue.enqueue(tx, job).map(jobId -> new Result.Resolved(view.put("jobId", jobId.orElse(null))));
  }

  private static Future<Result> whyNot(SqlClient tx, long id) {
    return tx.preparedQuery(KycSql.REMINDER_STATE).execute(Tuple.of(id)).map((RowSet<Row> rows) -> rows.size() == 0
        ? new Result.NotFound() : new Result.NotInReview(rows.iterator().next().getString("state")));
  }

  private static JsonObject view(Row r) {
    OffsetDateTime claimed = r.getOffsetDateTime("claimed_at");
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("customerId", r.getLong("customer_id"))
        .put("email", r.getString("email"))
        .put("name", r.getString("name"))
        .put("period", r.getString("period"))
        .put("runId", r.getLong("run_id"))
        .put("channel", r.getString("channel"))
        .put("idempotencyKey", r.getString("idempotency_key"))
        .put("documents", new JsonArray(Arrays.asList(r.getArrayOfStrings("documents"))))
        .put("claimedAt", claimed.toInstant().toString());
  }
}
