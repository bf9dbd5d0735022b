package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Politeness towards one host: at most {@code maxConcurrency} requests in flight from this node, and requests
 * leave at no more than the host's rate across all nodes ({@link ClusterRate}). The concurrency slot is taken
 * before the token, so a request that waited for a slot cannot leave right behind another one and break the
 * rate. Several sources on one host share the gate: the lowest rate and the lowest concurrency win.
 */
final class HostGate {
  private final ClusterRate rate;
  private final Queue<Promise<Void>> waiting = new ArrayDeque<>();
  private int maxConcurrency;
  private int inFlight;

  HostGate(ClusterRate rate, int maxConcurrency) {
    this.rate = rate;
    this.maxConcurrency = maxConcurrency;
  }

  /** Applies another source's limits to the shared host: the stricter of each wins. */
  synchronized void limitTo(double ratePerSecond, int concurrency) {
    rate.limitTo(ratePerSecond);
    maxConcurrency = Math.min(maxConcurrency, concurrency);
  }

  /** The host said Retry-After: nothing leaves for it before then, from any node, whichever source asks. */
  void pauseFor(long ms) {
    rate.pauseFor(ms);
  }

  /**
   * Runs the request once it holds a slot and the host's token. Fails with {@link ClusterRate.PausedException}
   * when the host asked for a pause longer than a run should wait.
   */
  <T> Future<T> run(Supplier<Future<T>> request) {
    return slot().compose(v -> rate.acquire().recover(err -> {
      release();
      return Future.failedFuture(err);
    })).compose(v -> {
      Future<T> f;
      try {
        f = request.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.andThen(ar -> release());
    });
  }

  private synchronized Future<Void> slot() {
    if (inFlight < maxConcurrency) {
      inFlight++;
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waiting.add(p);
    return p.future();
  }

  private void release() {
    Promise<Void> next;
    synchronized (this) {
      // A lowered limit takes effect as requests finish: the slot is handed on only while under it.
      next = inFlight <= maxConcurrency ? waiting.poll() : null;
      if (next == null) inFlight--;
    }
    if (next != null) next.complete();
  }
}
