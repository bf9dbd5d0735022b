package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the per-customer statements of many reminder jobs as one statement over arrays. At 64 jobs in flight, a
 * statement each cost more in executor set-up, round trips and commits than in the work itself. Requests are
 * gathered while {@code inFlight} statements are running and go out together when one finishes; with none running
 * they go out at the end of the event-loop turn that made them (the engine starts a claimed batch of jobs in one
 * turn), so nothing waits for a timer. A customer is in a statement at most once (one statement cannot claim or
 * count a customer twice); its next request goes in a later one. A statement that fails is retried request by
 * request, so one customer's bad data fails that customer's job only.
 *
 * @param <R> a request, about one customer
 * @param <T> its result
 */
final class Batcher<R, T> {
  /** At most this many requests per statement. */
  static final int MAX = 256;

  private record Waiting<R, T>(R request, Promise<T> promise) {}

  private final Vertx vertx;
  private final int inFlight;
  private final Function<R, Long> customer;
  private final Function<List<R>, Future<Map<Long, T>>> statement;
  private final List<Waiting<R, T>> waiting = new LinkedList<>();
  private int running;
  private boolean scheduled;

  /**
   * @param inFlight  statements of this kind running at once
   * @param customer  the customer a request is about
   * @param statement runs requests (distinct customers) as one statement; its result by customer
   */
  Batcher(Vertx vertx, int inFlight, Function<R, Long> customer, Function<List<R>, Future<Map<Long, T>>> statement) {
    this.vertx = vertx;
    this.inFlight = inFlight;
    this.customer = customer;
    this.statement = statement;
  }

  Future<T> submit(R request) {
    Promise<T> promise = Promise.promise();
    boolean schedule;
    synchronized (this) {
      waiting.add(new Waiting<>(request, promise));
      schedule = !scheduled && running < inFlight;
      if (schedule) scheduled = true;
    }
    if (schedule) vertx.getOrCreateContext().runOnContext(v -> flush());
    return promise.future();
  }

  private void flush() {
    List<Waiting<R, T>> batch = new ArrayList<>();
    boolean again;
    synchronized (this) {
      scheduled = false;
      if (running >= inFlight) return;
      Set<Long> customers = new HashSet<>();
      for (Iterator<Waiting<R, T>> it = waiting.iterator(); it.hasNext() && batch.size() < MAX; ) {
        Waiting<R, T> w = it.next();
        if (customers.add(customer.apply(w.request()))) {
          batch.add(w);
          it.remove();
        }
      }
      if (batch.isEmpty()) return;
      running++;
      again = !waiting.isEmpty() && running < inFlight;
      if (again) scheduled = true;
    }
    if (again) vertx.getOrCreateContext().runOnContext(v -> flush());
    run(batch).onComplete(ar -> {
      boolean next;
      synchronized (this) {
        running--;
        next = !waiting.isEmpty() && !scheduled;
        if (next) scheduled = true;
      }
      if (next) flush();
      if (ar.succeeded()) {
        batch.forEach(w -> w.promise().complete(ar.result().get(customer.apply(w.request()))));
      } else if (batch.size() == 1) {
        batch.get(0).promise().fail(ar.cause());
      } else {
        batch.forEach(w -> run(List.of(w)).map(m -> m.get(customer.apply(w.request()))).onComplete(w.promise()));
      }
    });
  }

  private Future<Map<Long, T>> run(List<Waiting<R, T>> batch) {
    try {
      return statement.apply(batch.stream().map(Waiting::request).toList());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
