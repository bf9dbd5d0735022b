package pharmaops.scraping;

import io.vertx.core.Future;

/**
 * A way to send one item to one recipient (a phone number, a webhook URL). Implementations only send; the
 * {@link Distributor} owns the ledger, the channel's rate (shared by all nodes) and the retries. A send that
 * fails with a {@link FetchException} carrying {@code retryAfterMs} is retried no sooner than that.
 */
public interface Channel {
  String type();

  /** Messages per second this channel may send, all nodes together, evenly spaced (no burst). */
  double ratePerSecond();

  /**
   * Sends; {@code messageId} is the same on every attempt for this item and recipient, so the remote can tell
   * a repeat (after a crash between its answer and our ledger write) from a new message.
   */
  Future<Void> send(String recipient, StoredItem item, String sourceName, String messageId);
}
