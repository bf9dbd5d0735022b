package pharmaops.scraping;

import io.vertx.core.Future;

/**
 * A way to send one item to one recipient (a phone number, a webhook URL). Implementations only send; the
 * {@link Distributor} owns the ledger, the per-channel rate limit and the retries. A send that fails with a
 * {@link FetchException} carrying {@code retryAfterMs} is retried no sooner than that.
 */
public interface Channel {
  String type();

  /** Messages per second this channel may send (a token bucket with no burst is applied per node). */
  double ratePerSecond();

  Future<Void> send(String recipient, StoredItem item, String sourceName);
}
