package pharmaops.search;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * This node's view of the catalogue generation, the prefix of every cache key. Kept in memory so a cached
 * search costs no database call; moved by {@code catalogue.changed} (every node hears it) and by a cheap
 * periodic read of the sequence, which bounds staleness if an event is ever missed. Only moves forward.
 */
final class Generation {
  private static final Logger log = LoggerFactory.getLogger(Generation.class);
  private final Vertx vertx;
  private final Pool pool;
  private final long checkMs;
  private final AtomicLong value = new AtomicLong(-1);
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  Generation(Vertx vertx, Pool pool, long checkMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.checkMs = checkMs;
  }

  long current() {
    return value.get();
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(CatalogueEvents.CHANGED, msg -> {
      Long g = msg.body() == null ? null : msg.body().getLong("generation");
      if (g != null) advance(g, "event");
    });
    timer = vertx.setPeriodic(checkMs, checkMs, t -> refresh().onFailure(e -> log.warn("generation check failed {}", kv("error", e.toString()))));
    return consumer.completion().compose(v -> refresh()).mapEmpty();
  }

  Future<Long> refresh() {
    return pool.query(SearchSql.GENERATION).execute().map(rows -> {
      long g = rows.iterator().next().getLong("g");
      advance(g, "poll");
      return value.get();
    });
  }

  private void advance(long g, String via) {
    long before = value.getAndAccumulate(g, Math::max);
    if (g > before && before >= 0) log.debug("catalogue generation moved {} {} {}", kv("from", before), kv("to", g), kv("via", via));
  }

  Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
