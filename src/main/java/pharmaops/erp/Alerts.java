package pharmaops.erp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Operator alerts to a Slack-compatible incoming webhook ({@code {"text": ...}}). Rate limited so a flapping
 * ERP cannot cause a storm: one alert per key (kind and ERP) per {@code minInterval}, and at most
 * {@link #BURST} alerts of any key per minute. Limits are per node.
 */
final class Alerts {
  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  static final int BURST = 10;
  private final WebClient client;
  private final Optional<String> url;
  private final long minIntervalMs;
  private final MeterRegistry metrics;
  private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
  private long windowStart;
  private int inWindow;

  Alerts(WebClient client, Optional<String> url, int minIntervalSeconds, MeterRegistry metrics) {
    this.client = client;
    this.url = url;
    this.minIntervalMs = minIntervalSeconds * 1000L;
    this.metrics = metrics;
  }

  /** Sends unless the webhook is not configured or the key (or everything) is over its rate; true when sent. */
  Future<Boolean> send(String key, String text) {
    if (url.isEmpty() || !admit(key)) {
      metrics.counter("pharmaops.erp.alerts", "result", url.isEmpty() ? "disabled" : "suppressed").increment();
      log.info("erp alert not sent {} {} {}", kv("key", key), kv("reason", url.isEmpty() ? "no webhook" : "rate limited"), kv("text", text));
      return Future.succeededFuture(false);
    }
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

  private synchronized boolean admit(String key) {
    long now = System.currentTimeMillis();
    Long last = lastSent.get(key);
    if (last != null && now - last < minIntervalMs) return false;
    if (now - windowStart >= 60_000) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= BURST) return false;
    inWindow++;
    lastSent.put(key, now);
    return true;
  }
}
