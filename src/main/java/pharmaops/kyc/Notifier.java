package pharmaops.kyc;

import io.vertx.core.Future;

/** How a reminder reaches the customer (strategy: SMTP e-mail or a webhook). */
public interface Notifier {
  String channel();

  /**
   * Sends one reminder. Fails with {@link DeliveryException}: {@code notDelivered()} when the remote system
   * certainly did not take the message (refused connection, SMTP 4xx/5xx reply, HTTP error status), otherwise the
   * outcome is unknown (timeout, reset after the message was written).
   */
  Future<Void> send(Reminder reminder);

  /**
   * True when sending again with the same idempotency key can never deliver twice (the receiver dedupes). Decides
   * what a retry does with a reminder whose earlier attempt ended in an unknown state: resend, or leave it to a
   * human. SMTP has no such guarantee: relays do not dedupe by Message-ID.
   */
  boolean resendIsIdempotent();

  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** A failed send, saying whether the message certainly did not get through. */
  final class DeliveryException extends RuntimeException {
    private final boolean notDelivered;

    public DeliveryException(String message, boolean notDelivered, Throwable cause) {
      super(message, cause, false, false);
      this.notDelivered = notDelivered;
    }

    public boolean notDelivered() {
      return notDelivered;
    }
  }
}
