package pharmaops.scraping;

/**
 * A fetch that failed after its retries, with a message fit for the run record. {@code retryable} marks
 * failures that count against the host's breaker and are worth another attempt (timeouts, 429, 5xx).
 */
final class FetchException extends RuntimeException {
  /** The status of a fetch refused by robots.txt (a redirect to a disallowed URL): nothing was sent. */
  static final int BLOCKED = -1;
  final int status;
  final long retryAfterMs;
  final boolean retryable;

  FetchException(String message, int status, long retryAfterMs, boolean retryable) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.retryable = retryable;
  }
}
