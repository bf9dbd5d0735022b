package pharmaops.jobs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Outcomes of attempts, written in batches: everything that finished during one event-loop turn goes out in
 * one UPDATE, which is what lets a node complete thousands of short jobs per second. Confined to the engine's
 * event loop.
 */
final class Completions {
  private static final Logger log = LoggerFactory.getLogger(Completions.class);
  private static final int MAX_TRIES = 5;
  private final JobEngine engine;
  private final Pool pool;
  private final String workerId;
  private final List<Item> pending = new ArrayList<>();
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private boolean flushing;
  private boolean scheduled;
  /** Items of failed writes waiting out their pause before the next try: not idle while there are any. */
  private int retrying;

  private record Item(JobRun run, String state, JsonObject result, String error, Long delayMs, int tries) {}

  Completions(JobEngine engine, Pool pool, String workerId) {
    this.engine = engine;
    this.pool = pool;
    this.workerId = workerId;
  }

  void add(JobRun run, String state, JsonObject result, String error, Long delayMs) {
    pending.add(new Item(run, state, result, error, delayMs, 0));
    schedule();
  }

  /** A run whose outcome must not be recorded (it is no longer ours). */
  void forget(JobRun run) {
    engine.released(run);
  }

  boolean idle() {
    return pending.isEmpty() && !flushing && !scheduled && retrying == 0;
  }

  /** Completes once everything added so far is written (or given up on). */
  Future<Void> flushNow() {
    if (idle()) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    idleWaiters.add(p);
    schedule();
    return p.future();
  }

  private void schedule() {
    if (scheduled || flushing) return;
    scheduled = true;
    engine.onContext(() -> {
      scheduled = false;
      flush();
    });
  }

  private void flush() {
    if (flushing || pending.isEmpty()) {
      notifyIdle();
      return;
    }
    flushing = true;
    List<Item> batch = new ArrayList<>(pending);
    pending.clear();
    int n = batch.size();
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] states = new String[n];
    String[] results = new String[n];
    String[] errors = new String[n];
    String[] details = new String[n];
    Long[] delays = new Long[n];
    for (int i = 0; i < n; i++) {
      Item it = batch.get(i);
      ids[i] = it.run.id();
      attempts[i] = it.run.attempt();
      states[i] = it.state;
      results[i] = it.result == null ? null : it.result.encode();
      errors[i] = it.error;
      details[i] = it.run.details == null ? null : it.run.details.encode();
      delays[i] = it.delayMs;
    }
    pool.preparedQuery(JobsSql.COMPLETE).execute(Tuple.of(ids, attempts, states, results, errors, details, delays, workerId))
        .onSuccess(rows -> {
          for (Row r : rows) engine.recorded(r);
          batch.forEach(it -> engine.released(it.run));
        })
        .onFailure(e -> {
          log.warn("recording job outcomes failed {} {}", kv("jobs", n), kv("error", e.toString()));
          List<Item> retry = new ArrayList<>();
          for (Item it : batch) {
            if (it.tries + 1 < MAX_TRIES) retry.add(new Item(it.run, it.state, it.result, it.error, it.delayMs, it.tries + 1));
            else engine.released(it.run); // its lease expires and the job runs again elsewhere: at-least-once
          }
          if (!retry.isEmpty()) {
            retrying += retry.size();
            engine.later(1000, () -> {
              retrying -= retry.size();
              pending.addAll(retry);
              schedule();
            });
          }
        })
        .onComplete(ar -> {
          flushing = false;
          if (!pending.isEmpty()) schedule();
          else notifyIdle();
        });
  }

  private void notifyIdle() {
    if (!idle()) return;
    List<Promise<Void>> waiters = new ArrayList<>(idleWaiters);
    idleWaiters.clear();
    waiters.forEach(Promise::tryComplete);
  }
}
