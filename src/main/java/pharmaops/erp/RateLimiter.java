package pharmaops.erp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** At most {@code perSecond} request starts per second to one ERP, spaced evenly (0 = no limit). */
final class RateLimiter {
  private final Vertx vertx;
  private final long intervalNanos;
  private long nextFree;

  RateLimiter(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
  }

  /** Completes when the caller may send its request. */
  Future<Void> acquire() {
    if (intervalNanos == 0) return Future.succeededFuture();
    long now = System.nanoTime();
    long slot;
    synchronized (this) {
      slot = Math.max(now, nextFree);
      nextFree = slot + intervalNanos;
    }
    long delayMs = (slot - now) / 1_000_000;
    if (delayMs <= 0) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(delayMs, t -> p.complete());
    return p.future();
  }
}
