package pharmaops.scraping;

import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;

/**
 * A generic webhook: the item's JSON (the {@code scraping.item.new} schema) POSTed to the recipient URL; 2xx
 * is sent. Header {@code Idempotency-Key} carries the message id, the same on every attempt, so a receiver
 * can drop a repeat.
 */
final class WebhookChannel implements Channel {
  private final WebClient client;
  private final double rate;
  private final int timeoutMs;

  WebhookChannel(WebClient client, double ratePerSecond, int timeoutMs) {
    this.client = client;
    this.rate = ratePerSecond;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public double ratePerSecond() {
    return rate;
  }

  @Override
  public Future<Void> send(String recipient, StoredItem item, String sourceName, String messageId) {
    return client.postAbs(recipient).timeout(timeoutMs).putHeader("Idempotency-Key", messageId)
        .sendJsonObject(item.toJson().put("source", sourceName)).compose(resp -> {
          int s = resp.statusCode();
          if (s >= 200 && s < 300) return Future.succeededFuture();
          return Future.failedFuture(new FetchException("webhook HTTP " + s, s, Fetcher.retryAfter(resp.headers()), s == 429 || s >= 500));
        });
  }
}
