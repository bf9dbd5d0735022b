package pharmaops.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The shared runtime every capability receives: one PostgreSQL pool, one Redis client and cache, the
 * metrics registry, health checks and circuit breakers. All of it is safe to use from any event loop.
 */
public record Platform(Vertx vertx, AppConfig config, PgConnectOptions pgOptions, Pool pool, Redis redis,
                       RedisAPI redisApi, Cache cache, Breakers breakers, PrometheusMeterRegistry metrics,
                       Health health) {

  /** Connects to the given servers (the configured ones or the embedded ones) and registers their checks. */
  public static Platform connect(Vertx vertx, AppConfig config, String pgUrl, String redisUrl,
                                 PrometheusMeterRegistry metrics) {
    PgConnectOptions pgOptions = PgConnectOptions.fromUri(pgUrl)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
    if (pgOptions.getUser() == null || pgOptions.getUser().isEmpty()) pgOptions.setUser("postgres");
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.pg().poolSize()).setMaxWaitQueueSize(8192).setName("pharmaops-pg")
            .setConnectionTimeout(10).setShared(false))
        .with(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true).setTcpKeepAlive(true))
        .connectingTo(pgOptions)
        .using(vertx)
        .build();

    var rc = config.redis();
    Redis redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(rc.poolSize())
        .setMaxPoolWaiting(8192)
        .setMaxWaitingHandlers(16384)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(Math.max(rc.timeoutMs(), 500)).setTcpNoDelay(true)));
    RedisAPI api = RedisAPI.api(redis);

    Breakers breakers = new Breakers(vertx, metrics);
    var redisBreaker = breakers.get("redis", new CircuitBreakerOptions()
        .setMaxFailures(5).setTimeout(rc.timeoutMs()).setResetTimeout(2_000).setFailuresRollingWindow(10_000));
    Cache cache = new Cache(api, redisBreaker, rc.keyPrefix(), rc.timeoutMs(), 64L << 20, Duration.ofMinutes(5), metrics);

    Health health = new Health();
    health.register("postgresql", Health.Impact.CRITICAL, () -> pool.query("SELECT 1").execute());
    health.register("redis", Health.Impact.DEGRADES, () -> api.ping(List.of()));
    return new Platform(vertx, config, pgOptions, pool, redis, api, cache, breakers, metrics, health);
  }

  /**
   * A pool of a capability's own, for statements on tables that swing from empty to hundreds of thousands of rows
   * within one run (the job queue, the KYC ledger): each statement is planned for every execution, since a plan
   * cached while the table was nearly empty (a sequential scan) stays in the connection and makes every later
   * statement cost O(rows). {@code settings} are further session settings (such as {@code synchronous_commit}).
   * The caller closes it.
   */
  public Pool ownPool(String name, int size, Map<String, String> settings) {
    PgConnectOptions options = new PgConnectOptions(pgOptions).addProperty("plan_cache_mode", "force_custom_plan");
    settings.forEach(options::addProperty);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name).setShared(false))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  /** Prefixes a Redis key with this deployment's namespace. */
  public String redisKey(String key) {
    return config.redis().keyPrefix() + key;
  }

  public Future<Void> close() {
    redis.close();
    return pool.close();
  }
}
