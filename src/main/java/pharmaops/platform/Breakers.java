package pharmaops.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One named circuit breaker per remote system (Redis, each ERP, each scraped host). Every breaker logs its
 * state changes, exports {@code pharmaops_breaker_state{breaker=...}} (0 closed, 1 half-open, 2 open) and
 * is listed by {@link #describe()} for admin endpoints.
 */
public final class Breakers {
  private static final Logger log = LoggerFactory.getLogger(Breakers.class);
  private final Vertx vertx;
  private final MeterRegistry registry;
  private final Map<String, CircuitBreaker> byName = new ConcurrentHashMap<>();

  public Breakers(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  /** The breaker of that name, created with these options the first time it is asked for. */
  public CircuitBreaker get(String name, CircuitBreakerOptions options) {
    return byName.computeIfAbsent(name, n -> create(n, options));
  }

  private CircuitBreaker create(String name, CircuitBreakerOptions options) {
    // No periodic event-bus notifications: in a cluster they would flood every node.
    CircuitBreaker cb = CircuitBreaker.create(name, vertx, new CircuitBreakerOptions(options).setNotificationAddress(null));
    cb.openHandler(v -> log.warn("circuit breaker opened {} {}", kv("breaker", name), kv("failures", cb.failureCount())))
        .halfOpenHandler(v -> log.info("circuit breaker half-open {}", kv("breaker", name)))
        .closeHandler(v -> log.info("circuit breaker closed {}", kv("breaker", name)));
    Gauge.builder("pharmaops.breaker.state", cb, b -> code(b.state()))
        .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
        .tag("breaker", name)
        .register(registry);
    return cb;
  }

  public static int code(CircuitBreakerState s) {
    return switch (s) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** Name, state and failure count of every breaker, for operations endpoints. */
  public JsonArray describe() {
    JsonArray out = new JsonArray();
    byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(cb -> out.add(new JsonObject()
        .put("name", cb.name()).put("state", cb.state().name()).put("failures", cb.failureCount())));
    return out;
  }
}
