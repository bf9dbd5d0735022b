package pharmaops.jobs;

import java.time.Duration;

/**
 * Per-type policy.
 *
 * @param maxAttempts attempts before the job goes {@code dead}
 * @param timeout     one attempt longer than this fails (and is retried); its handler learns so at its next
 *                    progress() and keeps its concurrency slot until its future completes
 * @param concurrency at most this many handlers of the type run at once on one node (a timed-out one included)
 * @param backoffBase first retry delay; doubles each attempt, with jitter, capped at one hour
 */
public record JobType(String name, int maxAttempts, Duration timeout, int concurrency, Duration backoffBase) {
  public static JobType of(String name) {
    return new JobType(name, 5, Duration.ofMinutes(10), 4, Duration.ofSeconds(2));
  }

  public JobType maxAttempts(int n) {
    return new JobType(name, n, timeout, concurrency, backoffBase);
  }

  public JobType timeout(Duration d) {
    return new JobType(name, maxAttempts, d, concurrency, backoffBase);
  }

  public JobType concurrency(int n) {
    return new JobType(name, maxAttempts, timeout, n, backoffBase);
  }

  public JobType backoffBase(Duration d) {
    return new JobType(name, maxAttempts, timeout, concurrency, d);
  }
}
