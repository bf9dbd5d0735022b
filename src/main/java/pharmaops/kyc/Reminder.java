package pharmaops.kyc;

import java.util.List;

/**
 * One reminder to send. {@code idempotencyKey} is the same for every attempt of the same customer and period
 * ({@code kyc:<customerId>:<period>}): it is the webhook's Idempotency-Key and the e-mail's Message-ID.
 */
public record Reminder(long customerId, String email, String name, String period, List<String> documents,
                       String idempotencyKey) {
  public static String key(long customerId, String period) {
    return "kyc:" + customerId + ":" + period;
  }
}
