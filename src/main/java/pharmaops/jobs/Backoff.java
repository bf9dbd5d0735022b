package pharmaops.jobs;

import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: exponential from the type's base, capped at one hour, with "equal jitter" (half fixed, half random). */
final class Backoff {
  static final long CAP_MS = 3_600_000;

  private Backoff() {}

  /** Delay before attempt {@code failedAttempt + 1}. */
  static long delayMs(JobType type, int failedAttempt) {
    long base = Math.max(1, type.backoffBase().toMillis());
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 30);
    long exp = (long) Math.min(CAP_MS, base * Math.pow(2, shift));
    long half = exp / 2;
    // Jitter spreads retries of jobs that failed together (e.g. a remote outage) so they do not return together.
    return half + ThreadLocalRandom.current().nextLong(half + 1);
  }
}
