package pharmaops.kyc;

import java.util.Locale;

/**
 * What one customer's check ended with; each is a counter of the run and a metric. A customer whose job died
 * has none: the run counts it {@code failed} from the job table (see {@link KycSql#GET_RUN}).
 */
public enum Outcome {
  /** the reminder was delivered by this check */
  SENT,
  /** already reminded this period (ledger row found) */
  SKIPPED,
  /** every required document is in order */
  NOTHING_PENDING,
  /** an earlier attempt may have sent it and the channel cannot tell: left to a human, never resent blindly */
  REVIEW;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
