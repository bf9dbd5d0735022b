package pharmaops.scraping;

import io.vertx.core.Future;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * robots.txt per host, fetched through the same polite {@link Fetcher} and kept for an hour. A missing
 * file (4xx) allows everything; an unreachable one (5xx, timeout) disallows everything for now, as RFC 9309
 * asks, so an overloaded site is not scraped against its wishes.
 */
final class RobotsCache {
  private static final long TTL_MS = 3_600_000;

  private record Entry(Robots robots, long expiresAt) {}

  private final Fetcher fetcher;
  private final String userAgent;
  private final Map<String, Entry> byHost = new ConcurrentHashMap<>();

  RobotsCache(Fetcher fetcher, String userAgent) {
    this.fetcher = fetcher;
    this.userAgent = userAgent;
  }

  /** Succeeds with true when the source may fetch {@code url}. */
  Future<Boolean> allows(SourceSpec source, String url) {
    if (!source.respectRobots()) return Future.succeededFuture(true);
    URI u = URI.create(url);
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    Entry e = byHost.get(source.host());
    if (e != null && e.expiresAt > System.currentTimeMillis()) return Future.succeededFuture(e.robots.allows(path));
    String robotsUrl = u.getScheme() + "://" + source.host() + "/robots.txt";
    return fetcher.get(source, robotsUrl, false)
        .map(page -> page.status() >= 200 && page.status() < 300
            ? Robots.parse(page.body().toString(StandardCharsets.UTF_8), userAgent) : Robots.ALLOW_ALL)
        .recover(err -> Future.succeededFuture((Robots) null))
        .map(robots -> {
          if (robots == null) return false; // unreachable: do not cache, ask again next run
          byHost.put(source.host(), new Entry(robots, System.currentTimeMillis() + TTL_MS));
          return robots.allows(path);
        });
  }
}
