package pharmaops.search;

import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigReader;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code search} section of the configuration.
 *
 * @param cacheTtlSeconds        how long a cached search or leaflet lives in Redis (generation changes drop it sooner)
 * @param defaultPageSize        results per page when {@code size} is not given
 * @param maxPageSize            largest {@code size} accepted
 * @param maxResults             how deep pagination may go (bounded pagination: ranks are recomputed per page)
 * @param generationCheckSeconds fallback poll of the catalogue generation, for a missed {@code catalogue.changed}
 * @param indexIntervalMs        how often each node indexes catalogue rows written without their search document
 */
public record SearchConfig(int cacheTtlSeconds, int defaultPageSize, int maxPageSize, int maxResults,
                           int generationCheckSeconds, int indexIntervalMs) {

  public static SearchConfig from(AppConfig config) {
    List<String> problems = new ArrayList<>();
    ConfigReader r = new ConfigReader("search", config.section("search"), problems);
    var c = new SearchConfig(r.intIn("cacheTtlSeconds", 300, 1, 86_400), r.intIn("defaultPageSize", 20, 1, 200),
        r.intIn("maxPageSize", 50, 1, 200), r.intIn("maxResults", 500, 10, 10_000), r.intIn("generationCheckSeconds", 5, 1, 3600),
        r.intIn("indexIntervalMs", 1000, 50, 60_000));
    if (c.defaultPageSize() > c.maxPageSize()) r.problem("defaultPageSize", "must not exceed maxPageSize (" + c.maxPageSize() + ")");
    r.failOnProblems();
    return c;
  }
}
