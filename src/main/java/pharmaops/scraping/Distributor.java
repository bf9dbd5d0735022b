package pharmaops.scraping;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Sends new items. Right after detection it publishes {@code scraping.item.new} and sends to every ledger
 * row of the item; failures are retried by {@link #sweep()} with backoff. Each send first waits for the
 * channel's token, then claims its ledger row (a short lease, so a crashed sender's row is retried), and
 * marks it sent: a row marked sent is never sent again, whatever restarts or retries follow.
 */
final class Distributor {
  private static final Logger log = LoggerFactory.getLogger(Distributor.class);
  private static final long MAX_BACKOFF_MS = 600_000;
  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, Channel> channels;
  private final Map<String, TokenBucket> limits = new ConcurrentHashMap<>();
  private final ScrapingConfig cfg;
  private final MeterRegistry metrics;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  Distributor(Vertx vertx, Pool pool, List<Channel> channels, ScrapingConfig cfg, MeterRegistry metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.cfg = cfg;
    this.metrics = metrics;
    this.channels = new ConcurrentHashMap<>();
    for (Channel c : channels) {
      this.channels.put(c.type(), c);
      limits.put(c.type(), new TokenBucket(vertx, c.ratePerSecond()));
    }
  }

  /** Publishes and sends at once; completes when every first attempt is done (failures stay pending). */
  Future<Void> deliverNew(List<StoredItem> items, String sourceName, JsonArray sourceChannels, Instant detectedAt) {
    List<Future<?>> sends = new ArrayList<>();
    for (StoredItem item : items) {
      vertx.eventBus().publish(ScrapingEvents.ITEM_NEW, item.toJson().put("source", sourceName).put("detectedAt", detectedAt.toString()));
      for (Object o : sourceChannels) {
        JsonObject c = (JsonObject) o;
        for (Object r : c.getJsonArray("recipients")) {
          sends.add(deliverOne(item, c.getString("type"), (String) r, sourceName, detectedAt));
        }
      }
    }
    return Future.join(sends).mapEmpty();
  }

  /** Retries due ledger rows (pending, past their backoff, not leased); one sweep at a time per node. */
  Future<Integer> sweep() {
    if (!sweeping.compareAndSet(false, true)) return Future.succeededFuture(0);
    return pool.preparedQuery(ScrapingSql.LEDGER_DUE).execute(Tuple.of(200)).compose(rs -> {
      List<Future<?>> sends = new ArrayList<>();
      for (Row r : rs) {
        sends.add(deliverOne(StoredItem.from(r, "item_id"), r.getString("channel"), r.getString("recipient"),
            r.getString("source_name"), r.getOffsetDateTime("detected_at").toInstant()));
      }
      return Future.join(sends).map(sends.size());
    }).eventually(() -> {
      sweeping.set(false);
      return Future.succeededFuture();
    });
  }

  /** Succeeds with true when this call sent it, false when there was nothing to send or the send failed. */
  Future<Boolean> deliverOne(StoredItem item, String type, String recipient, String sourceName, Instant detectedAt) {
    Channel channel = channels.get(type);
    TokenBucket limit = limits.get(type);
    Future<Void> ready = limit == null ? Future.succeededFuture() : limit.acquire();
    Tuple key = Tuple.of(item.id(), type, recipient);
    // The lease outlives one send (its timeout) with margin; only a crashed sender's row is ever re-claimed.
    Tuple claim = Tuple.of(item.id(), type, recipient, 2L * cfg.timeoutMs() + 1000);
    return ready.compose(v -> pool.preparedQuery(ScrapingSql.LEDGER_CLAIM).execute(claim)).compose(rs -> {
      if (rs.size() == 0) return Future.succeededFuture(false); // sent already, or another sender holds it
      int attempts = rs.iterator().next().getInteger("attempts");
      Future<Void> send = channel == null
          ? Future.failedFuture(new FetchException("channel '" + type + "' is not configured on this node", 0, 0, true))
          : channel.send(recipient, item, sourceName);
      return send.compose(
          ok -> pool.preparedQuery(ScrapingSql.LEDGER_SENT).execute(key).map(x -> {
            Duration latency = Duration.between(detectedAt, Instant.now());
            Timer.builder("pharmaops.scraping.delivery.latency").tag("channel", type).register(metrics).record(latency);
            metrics.counter("pharmaops.scraping.deliveries", "channel", type, "outcome", "sent").increment();
            return true;
          }),
          err -> failed(key, item, type, attempts, err).map(false));
    }).recover(err -> {
      log.warn("delivery bookkeeping failed {} {} {}", kv("item", item.id()), kv("channel", type), kv("error", err.toString()));
      return Future.succeededFuture(false);
    });
  }

  private Future<Void> failed(Tuple key, StoredItem item, String type, int attempts, Throwable err) {
    long retryAfter = err instanceof FetchException fe ? fe.retryAfterMs : 0;
    long backoff = Math.max(retryAfter, Math.min(MAX_BACKOFF_MS, cfg.deliveryRetrySeconds() * 1000L * (1L << Math.min(attempts - 1, 16))));
    String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return pool.preparedQuery(ScrapingSql.LEDGER_FAILED)
        .execute(Tuple.of(key.getLong(0), type, key.getString(2), Extract.clip(msg, 500), backoff, cfg.deliveryMaxAttempts()))
        .map(rs -> {
          String state = rs.iterator().next().getString("state");
          metrics.counter("pharmaops.scraping.deliveries", "channel", type, "outcome", state.equals("dead") ? "dead" : "retry").increment();
          log.warn("delivery failed {} {} {} {} {}", kv("item", item.id()), kv("channel", type), kv("attempt", attempts),
              kv("state", state), kv("error", msg));
          return null;
        });
  }
}
