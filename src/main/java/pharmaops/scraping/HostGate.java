package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Politeness towards one host: at most {@code maxConcurrency} requests in flight, and requests leave at
 * no more than the host's rate. The concurrency slot is taken before the token, so a request that waited
 * for a slot cannot leave right behind another one and break the rate.
 */
final class HostGate {
  private final TokenBucket bucket;
  private final int maxConcurrency;
  private final Queue<Promise<Void>> waiting = new ArrayDeque<>();
  private int inFlight;
  private volatile long pausedUntilMs;
  private final Vertx vertx;

  HostGate(Vertx vertx, double ratePerSecond, int maxConcurrency) {
    this.bucket = new TokenBucket(vertx, ratePerSecond);
    this.maxConcurrency = maxConcurrency;
    this.vertx = vertx;
  }

  /** The host said Retry-After: nothing leaves for it before then, whichever source asks. */
  void pauseFor(long ms) {
    pausedUntilMs = Math.max(pausedUntilMs, System.currentTimeMillis() + ms);
  }

  private Future<Void> unpaused() {
    long wait = pausedUntilMs - System.currentTimeMillis();
    if (wait <= 0) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(wait, t -> p.complete());
    return p.future();
  }

  TokenBucket bucket() {
    return bucket;
  }

  <T> Future<T> run(Supplier<Future<T>> request) {
    return slot().compose(v -> unpaused()).compose(v -> bucket.acquire()).compose(v -> {
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
      next = waiting.poll();
      if (next == null) inFlight--;
    }
    if (next != null) next.complete();
  }
}
