package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pharmaops.jobs.JobContext;
import pharmaops.jobs.JobHandler;
import pharmaops.jobs.JobQueue;
import pharmaops.jobs.NewJob;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The {@code kyc.run} job: records the run, walks the selection page by page and enqueues one {@code kyc.remind}
 * job per customer, unique per customer and period. Each page's jobs and the run's cursor commit together, so a
 * fan-out that dies half-way resumes where it stopped and never enqueues a customer twice.
 */
final class FanOut implements JobHandler {
  private static final Logger log = LoggerFactory.getLogger(FanOut.class);
  private final Pool pool;
  private final JobQueue queue;
  private final KycConfig cfg;
  private final CustomerSelection selection;
  private final KycMetrics metrics;
  private final Clock clock;

  private record Run(long id, String period, LocalDate day, LocalDate dueUntil, CustomerSelection.Cursor cursor) {
    static Run of(Row r) {
      LocalDate day = r.getLocalDate("day");
      LocalDate cursorDue = r.getLocalDate("cursor_due");
      return new Run(r.getLong("id"), r.getString("period"), day, r.getLocalDate("due_until"),
          cursorDue == null ? CustomerSelection.Cursor.before(day) : new CustomerSelection.Cursor(cursorDue, r.getLong("cursor_id")));
    }
  }

  private record Totals(long selected, long enqueued) {}

  FanOut(Pool pool, JobQueue queue, KycConfig cfg, CustomerSelection selection, KycMetrics metrics, Clock clock) {
    this.pool = pool;
    this.queue = queue;
    this.cfg = cfg;
    this.selection = selection;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    Long runId = job.payload().getLong("runId");
    LocalDate today = LocalDate.now(clock);
    Future<Row> started = runId != null
        ? pool.preparedQuery(KycSql.START_MANUAL_RUN).execute(Tuple.of(runId)).map(rows -> rows.iterator().next())
        : pool.preparedQuery(KycSql.START_SCHEDULED_RUN)
            .execute(Tuple.of(job.id(), cfg.periodOf(today), today, today.plusDays(cfg.dueWithinDays())))
            .map(rows -> rows.iterator().next());
    return started.map(Run::of).compose(run -> {
      log.info("kyc run selecting {} {} {}", kv("runId", run.id()), kv("period", run.period()), kv("dueUntil", run.dueUntil()));
      return pages(job, run, run.cursor(), new Totals(0, 0))
          .compose(t -> pool.preparedQuery(KycSql.DISPATCHED).execute(Tuple.of(run.id())).map(t))
          .onSuccess(t -> {
            metrics.runs.increment();
            log.info("kyc run dispatched {} {} {}", kv("runId", run.id()), kv("selected", t.selected()), kv("enqueued", t.enqueued()));
          })
          .map(t -> new JsonObject().put("runId", run.id()).put("selected", t.selected()).put("enqueued", t.enqueued()))
          .recover(e -> {
            Future<?> mark = job.attempt() >= KycModule.RUN_ATTEMPTS
                ? pool.preparedQuery(KycSql.RUN_FAILED).execute(Tuple.of(run.id(), String.valueOf(e.getMessage())))
                : Future.succeededFuture();
            return mark.transform(x -> Future.failedFuture(e));
          });
    });
  }

  private Future<Totals> pages(JobContext job, Run run, CustomerSelection.Cursor after, Totals t) {
    return selection.page(run.day(), run.dueUntil(), cfg.statuses(), after, cfg.batchSize()).compose(page -> {
      if (page.next() == null) return Future.succeededFuture(t);
      JsonObject base = new JsonObject().put("period", run.period()).put("runId", run.id());
      List<NewJob> jobs = page.ids().stream()
          .map(id -> NewJob.of(KycModule.REMIND, base.copy().put("customerId", id)).uniqueKey(Reminder.key(id, run.period())))
          .toList();
      return pool.withTransaction(tx -> (jobs.isEmpty() ? Future.succeededFuture(0) : queue.enqueueAll(tx, jobs))
              .compose(n -> tx.preparedQuery(KycSql.PAGE_DONE)
                  .execute(Tuple.of(run.id(), jobs.size(), n, page.next().due(), page.next().id())).map(n)))
          .compose(n -> {
            metrics.selected.increment(jobs.size());
            metrics.enqueued.increment(n);
            Totals next = new Totals(t.selected() + jobs.size(), t.enqueued() + n);
            if (page.last(cfg.batchSize())) return Future.succeededFuture(next);
            return job.progress(percent(run, page.next()), new JsonObject().put("runId", run.id())
                    .put("selected", next.selected()).put("enqueued", next.enqueued()))
                .compose(v -> pages(job, run, page.next(), next));
          });
    });
  }

  /** How far through the due-date window the cursor is; the run's size is unknown until the end. */
  private static int percent(Run run, CustomerSelection.Cursor c) {
    long span = ChronoUnit.DAYS.between(run.day(), run.dueUntil()) + 1;
    long done = ChronoUnit.DAYS.between(run.day(), c.due());
    return (int) Math.max(0, Math.min(99, done * 100 / span));
  }
}
