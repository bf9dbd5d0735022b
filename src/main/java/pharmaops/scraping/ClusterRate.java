package pharmaops.scraping;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One rate shared by every node (a scraped host, a WhatsApp number): GCRA without burst in Redis, decided by
 * one Lua script so check and update are atomic and use Redis's clock, not the nodes' drifting ones. A caller
 * leaves only when Redis says the previous departure, from any node, is an interval behind. Callers queue
 * locally and only the head asks Redis, so many waiters cost one call per slot, not one each.
 * <p>{@link #pauseFor} (a Retry-After) holds the key on every node. When Redis cannot answer (its breaker is
 * open, a timeout) the node falls back to its own {@link TokenBucket} at the same rate and logs it: with k
 * nodes the remote may then see up to k times the rate until Redis answers again.
 */
final class ClusterRate {
  /** Thrown to every waiter when the key is paused for longer than the caller is willing to wait. */
  static final class PausedException extends RuntimeException {
    final long remainingMs;

    PausedException(long remainingMs) {
      super("paused for another " + remainingMs + " ms", null, false, false);
      this.remainingMs = remainingMs;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ClusterRate.class);
  // 5% under the limit: after the slot the send still claims its row and crosses the network, and that delay
  // varies, so two departures an interval apart in Redis can arrive a little closer at the remote.
  private static final double HEADROOM = 1.05;
  // 0: go now (the slot is taken); > 0: microseconds until the next slot; < 0: paused for that many ms.
  private static final String ACQUIRE = """
      local paused = redis.call('PTTL', KEYS[2])
      if paused > 0 then return -paused end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
      if nxt > now then return nxt - now end
      local interval = tonumber(ARGV[1])
      redis.call('SET', KEYS[1], string.format('%.0f', now + interval), 'PX', math.floor(interval / 1000) + 1000)
      return 0""";
  private static final String PAUSE = """
      if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
      return 0""";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final CircuitBreaker breaker;
  private final long timeoutMs;
  private final String nextKey;
  private final String pauseKey;
  private final String name;
  private final long maxPauseWaitMs;
  private final TokenBucket local;
  private final MeterRegistry metrics;
  private final Queue<Promise<Void>> waiting = new ArrayDeque<>();
  private volatile long intervalMicros;
  private volatile long localPauseUntilMs;
  private volatile boolean degraded;
  private boolean polling;

  /**
   * @param key            Redis key (already prefixed), e.g. {@code pharmaops:scraping:rate:host:a.example}
   * @param maxPauseWaitMs a pause longer than this fails the waiters with {@link PausedException} instead
   */
  ClusterRate(Vertx vertx, RedisAPI redis, CircuitBreaker breaker, long timeoutMs, String key, double ratePerSecond,
              long maxPauseWaitMs, MeterRegistry metrics) {
    this.vertx = vertx;
    this.redis = redis;
    this.breaker = breaker;
    this.timeoutMs = timeoutMs;
    // One hash tag: both keys land on one slot should Redis ever be a cluster.
    this.nextKey = "{" + key + "}:next";
    this.pauseKey = "{" + key + "}:pause";
    this.name = key;
    this.maxPauseWaitMs = maxPauseWaitMs;
    this.local = new TokenBucket(vertx, ratePerSecond);
    this.metrics = metrics;
    this.intervalMicros = interval(ratePerSecond);
  }

  private static long interval(double ratePerSecond) {
    return (long) Math.ceil(1e6 / ratePerSecond * HEADROOM);
  }

  /** Lowers the rate (several sources on one host: the strictest limit wins). */
  synchronized void limitTo(double ratePerSecond) {
    intervalMicros = Math.max(intervalMicros, interval(ratePerSecond));
    local.limitTo(ratePerSecond);
  }

  /** Nothing leaves under this key, on any node, for {@code ms}. */
  Future<Void> pauseFor(long ms) {
    if (ms <= 0) return Future.succeededFuture();
    localPauseUntilMs = Math.max(localPauseUntilMs, System.currentTimeMillis() + ms);
    return breaker.<Response>execute(() -> redis.eval(List.of(PAUSE, "1", pauseKey, Long.toString(ms))).timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .<Void>mapEmpty().otherwise(err -> null); // the local pause still holds this node
  }

  /** Completes when the caller may go; callers leave in arrival order. */
  Future<Void> acquire() {
    Promise<Void> p = Promise.promise();
    boolean start;
    synchronized (this) {
      waiting.add(p);
      start = !polling;
      polling = true;
    }
    if (start) poll();
    return p.future();
  }

  /** Runs while someone waits: asks for the head's slot, waits as told, repeats. */
  private void poll() {
    synchronized (this) {
      if (waiting.isEmpty()) {
        polling = false;
        return;
      }
    }
    long paused = localPauseUntilMs - System.currentTimeMillis();
    if (paused > 0) {
      paused(paused);
      return;
    }
    breaker.<Response>execute(() -> redis.eval(List.of(ACQUIRE, "2", nextKey, pauseKey, Long.toString(intervalMicros)))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)).onComplete(ar -> {
          if (ar.failed()) {
            fallBack(ar.cause());
            return;
          }
          if (degraded) {
            degraded = false;
            log.info("rate limit shared through Redis again {}", kv("rate", name));
          }
          long r = ar.result().toLong();
          if (r == 0) leave();
          else if (r > 0) after((r + 999) / 1000);
          else paused(-r);
        });
  }

  private void fallBack(Throwable err) {
    if (!degraded) {
      degraded = true;
      log.warn("Redis unavailable: rate limit is this node's own until it answers {} {}", kv("rate", name), kv("error", err.toString()));
    }
    metrics.counter("pharmaops.scraping.rate.local", "reason", "redis").increment();
    local.acquire().onComplete(v -> leave());
  }

  private void paused(long ms) {
    if (ms <= maxPauseWaitMs) {
      after(ms);
      return;
    }
    List<Promise<Void>> all;
    synchronized (this) {
      all = new ArrayList<>(waiting);
      waiting.clear();
    }
    all.forEach(p -> p.fail(new PausedException(ms)));
    poll();
  }

  private void leave() {
    Promise<Void> head;
    synchronized (this) {
      head = waiting.poll();
    }
    if (head != null) head.complete();
    poll();
  }

  private void after(long ms) {
    vertx.setTimer(Math.max(1, ms), t -> poll());
  }
}
