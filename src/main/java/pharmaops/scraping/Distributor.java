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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Sends new items. Right after detection it publishes {@code scraping.item.new} and queues a send for every
 * ledger row of the item; failures are retried by {@link #sweep()} with backoff. Sends wait in their channel's
 * {@link DeliveryLane} for a token, then claim their ledger row (a lease of two send timeouts), send, and mark
 * the row sent.
 * <p>What is guaranteed: at most one successful send is recorded per item, channel and recipient, and a row
 * marked sent is never sent again, whatever restarts or retries follow. A send can still go out twice: if the
 * node dies (or the ledger write fails) after the remote accepted it and before the row is marked sent, the
 * row falls due when its lease ends and is sent again. That resend carries the same message id
 * ({@link #messageId}: Wuzapi's {@code Id}, the webhook's {@code Idempotency-Key}), so WhatsApp shows the
 * recipient one message and a webhook receiver can drop the repeat.
 */
final class Distributor {
  /** One send: an item to one recipient of one channel. */
  record Delivery(StoredItem item, String type, String recipient, String sourceName, Instant detectedAt) {
    String key() {
      return item.id() + "\n" + type + "\n" + recipient;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Distributor.class);
  private static final long MAX_BACKOFF_MS = 600_000;
  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final Map<String, DeliveryLane> lanes = new ConcurrentHashMap<>();
  private final ScrapingConfig cfg;
  private final MeterRegistry metrics;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** @param rates the rate shared by all nodes of a channel, by channel type */
  Distributor(Vertx vertx, Pool pool, List<Channel> channels, ScrapingConfig cfg, MeterRegistry metrics,
              Function<Channel, ClusterRate> rates) {
    this.vertx = vertx;
    this.pool = pool;
    this.cfg = cfg;
    this.metrics = metrics;
    for (Channel c : channels) {
      this.channels.put(c.type(), c);
      lanes.put(c.type(), new DeliveryLane(rates.apply(c), this::claim, this::send));
    }
  }

  /** The message id of an item for one recipient: 32 hex digits of SHA-256(item, channel, recipient). */
  static String messageId(long itemId, String channel, String recipient) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((itemId + "\n" + channel + "\n" + recipient).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Publishes and queues the sends; completes when every first attempt is done (failures stay pending). */
  Future<Void> deliverNew(List<StoredItem> items, String sourceName, JsonArray sourceChannels, Instant detectedAt) {
    List<Future<?>> sends = new ArrayList<>();
    for (StoredItem item : items) {
      vertx.eventBus().publish(ScrapingEvents.ITEM_NEW, item.toJson().put("source", sourceName).put("detectedAt", detectedAt.toString()));
      for (Object o : sourceChannels) {
        JsonObject c = (JsonObject) o;
        for (Object r : c.getJsonArray("recipients")) {
          sends.add(deliver(new Delivery(item, c.getString("type"), (String) r, sourceName, detectedAt), true));
        }
      }
    }
    return Future.join(sends).mapEmpty();
  }

  /**
   * Queues the due ledger rows (pending, past their backoff or their dead sender's lease) and completes when
   * they were attempted; one sweep at a time per node.
   */
  Future<Integer> sweep() {
    if (!sweeping.compareAndSet(false, true)) return Future.succeededFuture(0);
    return pool.preparedQuery(ScrapingSql.LEDGER_DUE).execute(Tuple.of(200)).compose(rs -> {
      List<Future<?>> sends = new ArrayList<>();
      for (Row r : rs) {
        Delivery d = new Delivery(StoredItem.from(r, "item_id"), r.getString("channel"), r.getString("recipient"),
            r.getString("source_name"), r.getOffsetDateTime("detected_at").toInstant());
        sends.add(deliver(d, r.getInteger("attempts") == 0));
      }
      return Future.join(sends).map(sends.size());
    }).eventually(() -> {
      sweeping.set(false);
      return Future.succeededFuture();
    });
  }

  /** Succeeds with true when this node sent it, false when there was nothing to send or the send failed. */
  Future<Boolean> deliver(Delivery d, boolean firstAttempt) {
    DeliveryLane lane = lanes.get(d.type());
    if (lane != null) return lane.offer(d, firstAttempt);
    // Not configured here: the attempt fails at once (no token to wait for) and is retried, maybe elsewhere.
    return claim(d).compose(attempt -> attempt == null ? Future.succeededFuture(false)
        : failed(d, attempt, new FetchException("channel '" + d.type() + "' is not configured on this node", 0, 0, true)).map(false))
        .recover(err -> bookkeepingFailed(d, err));
  }

  /** The attempt number when this node now holds the row, null when it is sent, dead or held elsewhere. */
  private Future<Integer> claim(Delivery d) {
    // The lease outlives one send (its timeout) with margin; only a dead sender's row is ever re-claimed.
    Tuple claim = Tuple.of(d.item().id(), d.type(), d.recipient(), 2L * cfg.timeoutMs() + 1000);
    return pool.preparedQuery(ScrapingSql.LEDGER_CLAIM).execute(claim)
        .map(rs -> rs.size() == 0 ? (Integer) null : rs.iterator().next().getInteger("attempts"))
        .recover(err -> {
          log.warn("delivery claim failed {} {} {}", kv("item", d.item().id()), kv("channel", d.type()), kv("error", err.toString()));
          return Future.succeededFuture(null);
        });
  }

  /** Sends a claimed row and records the outcome; never fails. */
  private Future<Boolean> send(Delivery d, int attempt) {
    Tuple key = Tuple.of(d.item().id(), d.type(), d.recipient());
    String id = messageId(d.item().id(), d.type(), d.recipient());
    Future<Void> send;
    try {
      send = channels.get(d.type()).send(d.recipient(), d.item(), d.sourceName(), id);
    } catch (RuntimeException e) {
      send = Future.failedFuture(e);
    }
    return send.compose(
        ok -> pool.preparedQuery(ScrapingSql.LEDGER_SENT).execute(key).map(x -> {
          Duration latency = Duration.between(d.detectedAt(), Instant.now());
          Timer.builder("pharmaops.scraping.delivery.latency").tag("channel", d.type()).register(metrics).record(latency);
          metrics.counter("pharmaops.scraping.deliveries", "channel", d.type(), "outcome", "sent").increment();
          return true;
        }),
        err -> failed(d, attempt, err).map(false))
        .recover(err -> bookkeepingFailed(d, err));
  }

  private Future<Boolean> bookkeepingFailed(Delivery d, Throwable err) {
    // The row stays leased: it falls due again when the lease ends, and its resend carries the same id.
    log.warn("delivery bookkeeping failed {} {} {}", kv("item", d.item().id()), kv("channel", d.type()), kv("error", err.toString()));
    return Future.succeededFuture(false);
  }

  private Future<Void> failed(Delivery d, int attempt, Throwable err) {
    long retryAfter = err instanceof FetchException fe ? fe.retryAfterMs : 0;
    if (err instanceof FetchException fe && fe.status == 429) {
      // The remote throttles the channel (the sending number), not this recipient: hold every send.
      DeliveryLane lane = lanes.get(d.type());
      if (lane != null) lane.rate().pauseFor(Math.min(Fetcher.MAX_PAUSE_MS, retryAfter > 0 ? retryAfter : cfg.deliveryRetrySeconds() * 1000L));
    }
    long backoff = Math.max(retryAfter, Math.min(MAX_BACKOFF_MS, cfg.deliveryRetrySeconds() * 1000L * (1L << Math.min(attempt - 1, 16))));
    String msg = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return pool.preparedQuery(ScrapingSql.LEDGER_FAILED)
        .execute(Tuple.of(d.item().id(), d.type(), d.recipient(), Extract.clip(msg, 500), backoff, cfg.deliveryMaxAttempts()))
        .map(rs -> {
          String state = rs.iterator().next().getString("state");
          metrics.counter("pharmaops.scraping.deliveries", "channel", d.type(), "outcome", state.equals("dead") ? "dead" : "retry").increment();
          log.warn("delivery failed {} {} {} {} {}", kv("item", d.item().id()), kv("channel", d.type()), kv("attempt", attempt),
              kv("state", state), kv("error", msg));
          return null;
        });
  }
}
