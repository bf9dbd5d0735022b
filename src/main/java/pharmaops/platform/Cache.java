package pharmaops.platform;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Two-tier cache-aside store for immutable values: a small in-process tier (bounded by bytes, short TTL)
 * in front of Redis. Callers put a generation number in their keys, so a change invalidates everything
 * at once by moving to the next generation and both tiers stay consistent across nodes without purges.
 *
 * <p>Never fails: a Redis error, timeout or open breaker counts as a miss (and as {@code result=error}
 * in {@code pharmaops_cache_requests_total}), so readers fall back to PostgreSQL.
 */
public final class Cache {
  private final RedisAPI redis;
  private final CircuitBreaker breaker;
  private final String prefix;
  private final long timeoutMs;
  private final com.github.benmanes.caffeine.cache.Cache<String, Buffer> local;
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public Cache(RedisAPI redis, CircuitBreaker breaker, String prefix, long timeoutMs, long localMaxBytes,
               Duration localTtl, MeterRegistry registry) {
    this.redis = redis;
    this.breaker = breaker;
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    this.registry = registry;
    this.local = Caffeine.newBuilder()
        .maximumWeight(localMaxBytes)
        .weigher((String k, Buffer v) -> k.length() * 2 + v.length() + 64)
        .expireAfterWrite(localTtl)
        .build();
  }

  /** The value, or null on a miss (or when Redis cannot answer in time). */
  public Future<Buffer> get(String cache, String key) {
    String full = prefix + cache + ":" + key;
    Buffer hit = local.getIfPresent(full);
    if (hit != null) {
      count(cache, "hit_local");
      return Future.succeededFuture(hit);
    }
    return breaker.<Response>execute(() -> redis.get(full).timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .map(r -> {
          if (r == null) {
            count(cache, "miss");
            return (Buffer) null;
          }
          Buffer b = r.toBuffer();
          local.put(full, b);
          count(cache, "hit");
          return b;
        })
        .otherwise(err -> {
          count(cache, "error");
          return null;
        });
  }

  /** Stores a value in both tiers; a Redis failure is counted and otherwise ignored. */
  public Future<Void> put(String cache, String key, Buffer value, int ttlSeconds) {
    String full = prefix + cache + ":" + key;
    local.put(full, value);
    return breaker.<Response>execute(() -> redis.set(List.of(full, value.toString(), "EX", Integer.toString(ttlSeconds)))
            .timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .<Void>mapEmpty()
        .otherwise(err -> {
          count(cache, "write_error");
          return null;
        });
  }

  /** Drops the in-process tier (tests and the catalogue-changed listener use it). */
  public void clearLocal() {
    local.invalidateAll();
  }

  private void count(String cache, String result) {
    counters.computeIfAbsent(cache + "/" + result, k -> Counter.builder("pharmaops.cache.requests")
        .description("Cache lookups by outcome; hit ratio = hit* / all")
        .tag("cache", cache).tag("result", result)
        .register(registry)).increment();
  }
}
