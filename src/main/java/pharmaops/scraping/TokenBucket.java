package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A token bucket that never rejects: a caller reserves the next token and waits (on a timer, never
 * blocking a thread) until it is due, so callers are served in order at no more than {@code rate} per
 * second after an initial burst of {@code capacity}. Spacing carries 2% headroom because a timer may fire
 * a millisecond late for one caller and on time for the next, which would otherwise exceed the limit.
 */
public final class TokenBucket {
  private static final double HEADROOM = 1.02;
  private final Vertx vertx;
  private volatile double rate;
  private final double capacity;
  private double tokens;
  private long last = System.nanoTime();

  public TokenBucket(Vertx vertx, double ratePerSecond, double capacity) {
    this.vertx = vertx;
    this.rate = ratePerSecond;
    this.capacity = Math.max(1, capacity);
    this.tokens = this.capacity;
  }

  /** Lowers the rate (several sources on one host: the strictest limit wins). */
  public synchronized void limitTo(double ratePerSecond) {
    if (ratePerSecond < rate) rate = ratePerSecond;
  }

  public double rate() {
    return rate;
  }

  /** Milliseconds until the reserved token is due (0 = now). */
  synchronized long reserve() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate / HEADROOM);
    last = now;
    tokens -= 1;
    if (tokens >= 0) return 0;
    return (long) Math.ceil(-tokens / rate * HEADROOM * 1000);
  }

  /** Completes when the caller may go. */
  public Future<Void> acquire() {
    long delay = reserve();
    if (delay <= 0) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(delay, t -> p.complete());
    return p.future();
  }
}
