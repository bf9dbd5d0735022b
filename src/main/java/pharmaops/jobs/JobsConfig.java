package pharmaops.jobs;

import io.vertx.core.json.JsonObject;
import pharmaops.platform.ConfigReader;

import java.util.ArrayList;

/**
 * The {@code jobs} section of the configuration.
 *
 * @param pollIntervalMs     fallback poll when no NOTIFY arrives (LISTEN wakes workers at once)
 * @param leaseSeconds       a running job whose lease is not renewed for this long is re-claimed
 * @param heartbeatSeconds   how often leases of running jobs are renewed
 * @param claimBatch         jobs claimed by one query, at most
 * @param progressIntervalMs progress is written and published at most this often per job
 * @param drainSeconds       graceful stop: time running jobs get to finish before they are released
 * @param statsIntervalSeconds queue-depth gauges are refreshed this often
 * @param poolSize           connections of the engine's own pool (claims, leases, outcomes)
 * @param retentionHours     succeeded and cancelled jobs are deleted this long after they finished (schedule
 *                           ticks after one day at most); dead jobs stay until an admin retries them
 */
public record JobsConfig(int pollIntervalMs, int leaseSeconds, int heartbeatSeconds, int claimBatch,
                         int progressIntervalMs, int drainSeconds, int statsIntervalSeconds, int poolSize,
                         int retentionHours) {

  public static JobsConfig from(JsonObject section) {
    ConfigReader r = new ConfigReader("jobs", section, new ArrayList<>());
    var c = new JobsConfig(r.intIn("pollIntervalMs", 2000, 50, 600_000), r.intIn("leaseSeconds", 30, 2, 86_400),
        r.intIn("heartbeatSeconds", 10, 1, 3600), r.intIn("claimBatch", 32, 1, 1000),
        r.intIn("progressIntervalMs", 250, 0, 60_000), r.intIn("drainSeconds", 20, 0, 3600),
        r.intIn("statsIntervalSeconds", 15, 1, 3600), r.intIn("poolSize", 4, 1, 64),
        r.intIn("retentionHours", 168, 1, 24 * 3650));
    if (c.heartbeatSeconds >= c.leaseSeconds) r.problem("heartbeatSeconds", "must be shorter than leaseSeconds");
    r.failOnProblems();
    return c;
  }
}
