package pharmaops.platform;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.nio.ByteBuffer;
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
  private final Map<String, Outcomes> counters = new ConcurrentHashMap<>();

  /** One cache's lookup counters, found by the cache's name alone (no key built per lookup). */
  private record Outcomes(Counter hit, Counter hitLocal, Counter miss, Counter error, Counter writeError) {}

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
      outcomes(cache).hitLocal().increment();
      return Future.succeededFuture(hit);
    }
    return breaker.<Response>execute(() -> redis.get(full).timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .map(r -> {
          if (r == null) {
            outcomes(cache).miss().increment();
            return (Buffer) null;
          }
          Buffer b = offHeap(r.toBuffer());
          local.put(full, b);
          outcomes(cache).hit().increment();
          return b;
        })
        .otherwise(err -> {
          outcomes(cache).error().increment();
          return null;
        });
  }

  /** Stores a value in both tiers; a Redis failure is counted and otherwise ignored. */
  public Future<Void> put(String cache, String key, Buffer value, int ttlSeconds) {
    String full = prefix + cache + ":" + key;
    local.put(full, offHeap(value));
    return breaker.<Response>execute(() -> redis.set(List.of(full, value.toString(), "EX", Integer.toString(ttlSeconds)))
            .timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .<Void>mapEmpty()
        .otherwise(err -> {
          outcomes(cache).writeError().increment();
          return null;
        });
  }

  /** Drops the in-process tier (tests and the catalogue-changed listener use it). */
  public void clearLocal() {
    local.invalidateAll();
  }

  private Outcomes outcomes(String cache) {
    Outcomes o = counters.get(cache);
    return o != null ? o : counters.computeIfAbsent(cache, c -> new Outcomes(counter(c, "hit"), counter(c, "hit_local"),
        counter(c, "miss"), counter(c, "error"), counter(c, "write_error")));
  }

  private Counter counter(String cache, String result) {
    return Counter.builder("pharmaops.cache.requests").description("Cache lookups by outcome; hit ratio = hit* / all")
        .tag("cache", cache).tag("result", result).register(registry);
  }

  /**
   * The in-process tier keeps values in direct memory: a response body written from it goes to the socket as it
   * is, where a heap buffer is first copied into a direct one on every request. The JDK's direct buffer is freed
   * by the garbage collector once nothing (no cache entry, no write in flight) refers to it.
   */
  private static Buffer offHeap(Buffer b) {
    ByteBuffer direct = ByteBuffer.allocateDirect(b.length());
    direct.put(b.getBytes()).flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
  }
}
