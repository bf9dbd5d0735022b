package pharmaops.reports;

import io.vertx.core.json.JsonObject;
import pharmaops.platform.ConfigReader;

import java.util.ArrayList;

/**
 * The {@code reports} section.
 *
 * @param chunkSize      rows fetched, written and reported per step (and the most held in memory)
 * @param retentionHours finished files are deleted this long after they were written
 * @param cleanupCron    when the cleanup job runs (cron, or {@code @every 1h})
 * @param storageDir     under {@code dataDir} unless absolute
 * @param concurrency    exports running at once per node
 * @param maxWaitSeconds ceiling of {@code ?wait=} on {@code GET /reports/{id}}
 */
public record ReportsConfig(int chunkSize, int retentionHours, String cleanupCron, String storageDir, int concurrency,
                            int maxWaitSeconds) {
  public static ReportsConfig from(JsonObject section) {
    ConfigReader r = new ConfigReader("reports", section, new ArrayList<>());
    var c = new ReportsConfig(r.intIn("chunkSize", 1000, 10, 100_000), r.intIn("retentionHours", 168, 1, 24 * 365),
        r.string("cleanupCron", "0 * * * *"), r.string("storageDir", "reports"), r.intIn("concurrency", 2, 1, 64),
        r.intIn("maxWaitSeconds", 60, 1, 600));
    try {
      pharmaops.jobs.Cron.parse(c.cleanupCron);
    } catch (IllegalArgumentException e) {
      r.problem("cleanupCron", e.getMessage());
    }
    if (c.storageDir.isEmpty()) r.problem("storageDir", "must not be empty");
    r.failOnProblems();
    return c;
  }
}
