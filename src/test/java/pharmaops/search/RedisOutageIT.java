package pharmaops.search;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TcpProxy;
import pharmaops.support.TestApp;
import pharmaops.support.TestServices;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis dies while the node serves with a warm cache, then comes back: search never stops answering (from
 * PostgreSQL meanwhile), readiness says DEGRADED and then UP again, and the cache is used again afterwards.
 */
class RedisOutageIT {
  static TcpProxy redis;
  static TestApp app;

  @BeforeAll
  static void start() {
    URI real = URI.create(TestServices.redisUrl());
    redis = TcpProxy.start(real.getHost(), real.getPort());
    app = TestApp.start(new JsonObject().put("demo", new JsonObject().put("seed", true))
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redis.port()).put("timeoutMs", 100)));
  }

  @AfterAll
  static void stop() {
    app.close();
    redis.close();
  }

  static String ready() {
    return app.get("/health/ready", null).json().getString("status");
  }

  static void searchAnswers() {
    searchAnswers(20);
  }

  static void searchAnswers(int size) {
    var r = app.get("/api/v1/bulas?q=dipiroma&size=" + size, TestApp.ADMIN_TOKEN);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getJsonArray("items")).isNotEmpty();
  }

  /** Lookups Redis itself answered (hit or miss; not the in-process tier, not errors). */
  static double redisAnswers() {
    String metrics = app.get("/metrics", null).body();
    return metrics.lines().filter(l -> l.startsWith("pharmaops_cache_requests_total")
            && (l.contains("result=\"hit\"") || l.contains("result=\"miss\"")))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void searchKeepsAnsweringThroughARedisOutageAndTheCacheComesBack() {
    searchAnswers();
    searchAnswers();
    assertThat(redisAnswers()).as("Redis answers lookups before the outage").isPositive();
    assertThat(ready()).isEqualTo("UP");

    redis.cut();
    for (int size = 1; size <= 5; size++) searchAnswers(size); // new keys: the in-process tier cannot answer
    await("readiness notices Redis is gone").atMost(Duration.ofSeconds(15)).until(() -> "DEGRADED".equals(ready()));
    double during = redisAnswers();
    for (int size = 6; size <= 10; size++) searchAnswers(size);
    assertThat(redisAnswers()).as("nothing came from Redis while it was gone").isEqualTo(during);

    redis.restore();
    await("readiness notices Redis is back").atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(ready()));
    int[] size = {11};
    await("Redis answers lookups again").atMost(Duration.ofSeconds(30)).until(() -> {
      searchAnswers(size[0]++);
      return redisAnswers() > during;
    });
  }
}
