package pharmaops.erp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Operator alerts to a Slack-compatible incoming webhook ({@code {"text": ...}}). Rate limited so a flapping
 * ERP cannot cause a storm: one alert per key (kind and ERP) per {@code minInterval} for the whole cluster
 * (every node checks breakers and freshness, so the key is claimed in {@code erp_alert}: the node that moves
 * its {@code last_sent_at} sends), and at most {@link #BURST} alerts of any key per minute from one node.
 */
final class Alerts {
  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  static final int BURST = 10;
  private final WebClient client;
  private final Optional<String> url;
  private final int minIntervalSeconds;
  private final MeterRegistry metrics;
  private final Pool pool;
  private long windowStart;
  private int inWindow;

  Alerts(WebClient client, Pool pool, Optional<String> url, int minIntervalSeconds, MeterRegistry metrics) {
    this.client = client;
    this.pool = pool;
    this.url = url;
    this.minIntervalSeconds = minIntervalSeconds;
    this.metrics = metrics;
  }

  /** Sends unless the webhook is not configured or the key (or this node) is over its rate; true when sent. */
  Future<Boolean> send(String key, String text) {
    if (url.isEmpty()) return notSent(key, "disabled", "no webhook", text);
    if (!admit()) return notSent(key, "suppressed", "more than " + BURST + " alerts this minute", text);
    return pool.preparedQuery(ErpSql.CLAIM_ALERT).execute(Tuple.of(key, (double) minIntervalSeconds)).compose(rows -> {
      if (rows.size() == 0) {
        refund();
        return notSent(key, "suppressed", "sent less than " + minIntervalSeconds + " s ago", text);
      }
      return post(key, text);
    }, e -> {
      // no claim, no alert: sending unclaimed would let every node send it
      refund();
      log.error("erp alert not sent: its rate limit could not be checked {} {} {}", kv("key", key), kv("error", e.toString()), kv("text", text));
      metrics.counter("pharmaops.erp.alerts", "result", "failed").increment();
      return Future.succeededFuture(false);
    });
  }

  private Future<Boolean> notSent(String key, String result, String reason, String text) {
    metrics.counter("pharmaops.erp.alerts", "result", result).increment();
    log.info("erp alert not sent {} {} {}", kv("key", key), kv("reason", reason), kv("text", text));
    return Future.succeededFuture(false);
  }

  private Future<Boolean> post(String key, String text) {
    return client.postAbs(url.get()).timeout(5_000).sendJsonObject(new JsonObject().put("text", text))
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(r -> {
          metrics.counter("pharmaops.erp.alerts", "result", "sent").increment();
          log.warn("erp alert sent {} {}", kv("key", key), kv("text", text));
          return true;
        })
        .recover(e -> {
          metrics.counter("pharmaops.erp.alerts", "result", "failed").increment();
          log.error("erp alert could not be delivered {} {}", kv("key", key), kv("error", e.toString()));
          return Future.succeededFuture(false);
        });
  }

  private synchronized boolean admit() {
    long now = System.currentTimeMillis();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= BURST) return false;
    inWindow++;
    return true;
  }

  private synchronized void refund() {
    if (inWindow > 0) inWindow--;
  }
}
