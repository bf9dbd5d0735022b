package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A token bucket of one token (no bursts: a site or a WhatsApp number sees evenly spaced requests) that never
 * rejects: a caller reserves the next slot and waits on a timer, never blocking a thread, so callers leave in
 * order at no more than {@code rate} per second. Because a timer can fire late for one caller and on time for
 * the next, each departure is also checked against the previous actual one and waits out any shortfall.
 */
public final class TokenBucket {
  private static final double HEADROOM = 1.05; // the same margin as ClusterRate, whose fall-back this is
  private final Vertx vertx;
  private volatile long intervalNanos;
  private long nextSlot = System.nanoTime();
  private long lastDeparture = Long.MIN_VALUE / 2;

  public TokenBucket(Vertx vertx, double ratePerSecond) {
    this.vertx = vertx;
    this.intervalNanos = interval(ratePerSecond);
  }

  private static long interval(double ratePerSecond) {
    return (long) (1e9 / ratePerSecond * HEADROOM);
  }

  /** Lowers the rate (several sources on one host: the strictest limit wins). */
  public synchronized void limitTo(double ratePerSecond) {
    intervalNanos = Math.max(intervalNanos, interval(ratePerSecond));
  }

  /** Nanoseconds until the reserved slot. */
  private synchronized long reserve() {
    long now = System.nanoTime();
    long at = Math.max(now, nextSlot);
    nextSlot = at + intervalNanos;
    return at - now;
  }

  /** 0 and records the departure when the previous one is far enough behind, else how long to wait still. */
  private synchronized long depart() {
    long now = System.nanoTime();
    long wait = lastDeparture + intervalNanos - now;
    if (wait > 0) return wait;
    lastDeparture = now;
    return 0;
  }

  /** Completes when the caller may go. */
  public Future<Void> acquire() {
    Promise<Void> p = Promise.promise();
    after(reserve(), () -> leave(p));
    return p.future();
  }

  private void leave(Promise<Void> p) {
    long wait = depart();
    if (wait == 0) p.complete();
    else after(wait, () -> leave(p));
  }

  private void after(long nanos, Runnable r) {
    long ms = (nanos + 999_999) / 1_000_000;
    if (ms <= 0) r.run();
    else vertx.setTimer(ms, t -> r.run());
  }
}
